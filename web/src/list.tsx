// The list the pages show: a search box and other controls, the error, loading and empty states,
// a table (or a plain list) of the rows, and the pager when the rows are a Relay connection, with
// the count of all rows, which is asked for on its own.
import { Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQuery, type ApiError, type QueryState } from './api';
import type { TypedDocumentString } from './gql/graphql';
import { useTranslation } from 'react-i18next';
import i18n, { formatNumber } from './i18n';
import { Empty, ErrorBanner, Loading } from './ui';

/** One page of a Relay connection, as the API returns it (its count is asked for apart). */
export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** How many rows a list has in all; no `value` while it is counted, or when counting failed. */
export interface Total {
  value?: number;
  loading: boolean;
}

/**
 * A count the server estimated (`totalCountEstimate`): exact up to 10,000, else "more than
 * 10,000" (SQLite) or an estimate from PostgreSQL's statistics. Per-row counts use it so
 * that a page of groups never counts a million members row by row.
 */
export function estimated(estimate: { count: number; exact: boolean }): string {
  if (estimate.exact) return formatNumber(estimate.count);
  if (estimate.count <= 10_001) return i18n.t('count.moreThan', { count: formatNumber(10_000) });
  return i18n.t('count.about', { count: formatNumber(estimate.count) });
}

/**
 * A page of a list and, by a query of its own with the same variables but `after`, how many rows
 * the list has in all. At a million rows the count costs the server far more than a page, so the
 * rows never wait for it, and turning a page does not count again. `reload` asks for both.
 */
export function usePagedQuery<TPage, TCount, TVariables extends { after?: string | null }>(
  documents: {
    page: TypedDocumentString<TPage, TVariables>;
    /** The same connection and arguments as `page`, but `first: 1`, selecting only `totalCount`. */
    count: TypedDocumentString<TCount, Omit<TVariables, 'after'>>;
    total: (count: TCount) => number;
  },
  variables: Omit<TVariables, 'after'>,
  after: string | null,
): QueryState<TPage> & { total: Total } {
  const page = useQuery(documents.page, { ...variables, after } as TVariables);
  const count = useQuery(documents.count, variables);
  const { reload: reloadPage } = page;
  const { reload: reloadCount } = count;
  const reload = useCallback(() => {
    reloadPage();
    reloadCount();
  }, [reloadPage, reloadCount]);
  // While the count of new variables is on its way, the count of the old ones would mislead.
  const value = count.data && !count.loading ? documents.total(count.data) : undefined;
  return { ...page, reload, total: { value, loading: count.loading } };
}

/** Forward-only Relay pagination with a way back: the cursors of the pages seen so far. */
function usePager() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (endCursor: string | null | undefined) => endCursor && setCursors((c) => [...c, endCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([null]),
  };
}

/** What a list shows: the page, the search text. */
interface ListControls {
  pager: ReturnType<typeof usePager>;
  search: string;
  setSearch: (search: string) => void;
}

/** How long typing must pause before a list asks the server for what is typed. */
export const TYPING_PAUSE_MS = 250;

/**
 * The page (`after`), the search text and other filters of a list. `search` and `filters` are
 * what the inputs show; `applied` is what the list asks the server for. Typed text (the search
 * box, `typeFilter`) is applied once typing pauses, so that a fast typist sends one request for
 * the final text, not one per keystroke; a choice (`setFilter`) is applied at once, with any text
 * still waiting. Applying goes back to the first page.
 */
export function useListControls<F extends object>(initialFilters: F) {
  const pager = usePager();
  const [shown, setShown] = useState({ search: '', filters: initialFilters });
  const [applied, setApplied] = useState(shown);
  const latest = useRef(shown);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const change = (next: typeof shown, wait: boolean) => {
    latest.current = next;
    setShown(next);
    clearTimeout(timer.current);
    const apply = () => {
      setApplied(next);
      pager.reset();
    };
    if (wait) timer.current = setTimeout(apply, TYPING_PAUSE_MS);
    else apply();
  };
  const withFilter = <K extends keyof F>(key: K, value: F[K]) => ({
    ...latest.current,
    filters: { ...latest.current.filters, [key]: value },
  });
  return {
    pager,
    after: pager.after,
    search: shown.search,
    filters: shown.filters,
    applied,
    setSearch(value: string) {
      change({ ...latest.current, search: value }, true);
    },
    /** For a text filter: applied once typing pauses, like the search box. */
    typeFilter<K extends keyof F>(key: K, value: F[K]) {
      change(withFilter(key, value), true);
    },
    setFilter<K extends keyof F>(key: K, value: F[K]) {
      change(withFilter(key, value), false);
    },
  };
}

export interface Column<T> {
  header: string;
  /** Names the cell on narrow screens (`data-label`); the header unless given. */
  label?: string;
  /** An operations cell: buttons, no label. */
  actions?: boolean;
  cell: (row: T) => ReactNode;
}

interface SearchBox {
  id: string;
  label: string;
  placeholder?: string;
}

/** Where the rows come from: a plain array, or a page of a connection with its pager. */
type Source<T> =
  | { rows: T[] | undefined; controls?: undefined; search?: undefined }
  | { rows: T[] | undefined; controls: ListControls; search: SearchBox }
  | {
      page: Connection<T> | undefined;
      /** How many rows there are in all: from `usePagedQuery`. */
      total: Total;
      noun: string;
      controls: ListControls;
      search?: SearchBox;
    };

/**
 * How the rows are shown: a table of columns, or one item of a list each (an `<li>`). In a
 * table, `replaceRow` may show a row its own way (a `<tr>`, e.g. an edit form); falsy keeps it.
 */
type Body<T> =
  | { columns: Column<T>[]; replaceRow?: (row: T) => ReactNode }
  | { item: (row: T) => ReactNode; listClassName: string };

type ListViewProps<T> = Source<T> &
  Body<T> & {
    /** The query of the rows: its error (with Try again) and whether it is loading. */
    query?: { error?: ApiError; loading: boolean; reload: () => void };
    /** The error of an action on the rows, shown when the query has none. */
    error?: ApiError;
    /** More controls in the toolbar, after the search box. */
    toolbar?: ReactNode;
    /** What is shown when there are no rows. */
    empty: ReactNode;
  };

export function ListView<T extends { id: string }>(props: ListViewProps<T>) {
  const { query, controls, search } = props;
  const page = 'page' in props ? props.page : undefined;
  const rows = 'page' in props ? page?.nodes : props.rows;
  return (
    <>
      {(search || props.toolbar) && (
        <div className="toolbar">
          {search && controls && (
            <>
              <label htmlFor={search.id}>{search.label}</label>
              <input
                id={search.id}
                type="search"
                placeholder={search.placeholder}
                value={controls.search}
                onChange={(e) => controls.setSearch(e.target.value)}
              />
            </>
          )}
          {props.toolbar}
        </div>
      )}
      <ErrorBanner error={query?.error ?? props.error} onRetry={query?.reload} />
      {query?.loading && !rows && <Loading />}
      {rows && rows.length === 0 && <Empty>{props.empty}</Empty>}
      {rows && rows.length > 0 && ('columns' in props ? (
        <table aria-busy={query?.loading}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.header} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Fragment key={row.id}>
                {props.replaceRow?.(row) || (
                  <tr>
                    {props.columns.map((c) =>
                      c.actions ? (
                        <td key={c.header} className="actions">
                          {c.cell(row)}
                        </td>
                      ) : (
                        <td key={c.header} data-label={c.label ?? c.header}>
                          {c.cell(row)}
                        </td>
                      ),
                    )}
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : (
        <ul className={props.listClassName} aria-busy={query?.loading}>
          {rows.map((row) => (
            <Fragment key={row.id}>{props.item(row)}</Fragment>
          ))}
        </ul>
      ))}
      {'page' in props && page && (
        <Pager pager={props.controls.pager} page={page} total={props.total} noun={props.noun} />
      )}
    </>
  );
}

function Pager(props: { pager: ReturnType<typeof usePager>; page: Connection<unknown>; total: Total; noun: string }) {
  const { pager, page, total, noun } = props;
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label={t('pager.label', { noun })}>
      <span aria-busy={total.loading}>
        {total.value !== undefined && t('pager.total', { count: total.value, noun })}
        {total.value === undefined && total.loading && t('pager.counting', { noun })}
        {t('pager.page', { page: pager.page })}
      </span>
      <button type="button" disabled={pager.page <= 1} onClick={pager.previous}>
        {t('pager.previous')}
      </button>
      <button type="button" disabled={!page.pageInfo.hasNextPage} onClick={() => pager.next(page.pageInfo.endCursor)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
