import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { estimated, ListView, TYPING_PAUSE_MS, useListControls, type Column, type Connection, type Total } from './list';

interface Row {
  id: string;
  name: string;
}

const columns: Column<Row>[] = [
  { header: 'Name', cell: (r) => r.name },
  { header: 'Operations', actions: true, cell: (r) => <button type="button">Edit {r.name}</button> },
];

const idle = { loading: false, reload: () => {} };

type Counted = Connection<Row> & { totalCount: number };

/** Pages of two rows out of `names`, from the cursor "after:<index>", with their count. */
function pages(names: string[]) {
  return vi.fn((after: string | null, search: string): Counted => {
    const matching = names.filter((n) => n.startsWith(search));
    const start = after ? Number(after.slice('after:'.length)) : 0;
    const nodes = matching.slice(start, start + 2).map((name) => ({ id: name, name }));
    const end = start + nodes.length;
    return {
      nodes,
      totalCount: matching.length,
      pageInfo: { hasNextPage: end < matching.length, endCursor: `after:${end}` },
    };
  });
}

/** A list of rows with a search box, each render asking `load` for the current page. */
function Paged({ load }: { load: (after: string | null, search: string) => Counted }) {
  const controls = useListControls({});
  const page = load(controls.after, controls.applied.search);
  return (
    <ListView
      query={idle}
      page={page}
      total={{ value: page.totalCount, loading: false }}
      noun="people"
      controls={controls}
      search={{ id: 'people-search', label: 'Search', placeholder: 'name prefix' }}
      columns={columns}
      empty={controls.applied.search ? 'Nobody matches.' : 'Nobody yet.'}
    />
  );
}

describe('ListView', () => {
  it('shows the empty state instead of a table when there are no rows', () => {
    render(<ListView query={idle} rows={[]} columns={columns} empty="No keys yet." />);
    expect(screen.getByText('No keys yet.')).toHaveClass('empty');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows loading until the first answer', () => {
    render(<ListView query={{ ...idle, loading: true }} rows={undefined} columns={columns} empty="None." />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(screen.queryByText('None.')).not.toBeInTheDocument();
  });

  it("shows the query's error with Try again, which reloads", async () => {
    const reload = vi.fn();
    const error = new ApiError([{ message: 'The server cannot be reached.', code: 'NETWORK' }]);
    render(<ListView query={{ error, loading: false, reload }} rows={undefined} columns={columns} empty="None." />);
    expect(screen.getByRole('alert')).toHaveTextContent('The server cannot be reached.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("shows an action's error when the query has none", () => {
    const error = new ApiError([{ message: 'the key is in use', code: 'CONFLICT' }]);
    render(<ListView query={idle} error={error} rows={[{ id: 'k', name: 'k' }]} columns={columns} empty="None." />);
    expect(screen.getByRole('alert')).toHaveTextContent('the key is in use');
    expect(screen.getByRole('cell', { name: 'k' })).toBeInTheDocument();
  });

  it('labels cells for narrow screens and keeps operations unlabelled', () => {
    render(<ListView query={idle} rows={[{ id: 'a', name: 'Ada' }]} columns={columns} empty="None." />);
    expect(screen.getByRole('columnheader', { name: 'Name' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'Ada' })).toHaveAttribute('data-label', 'Name');
    const operations = screen.getByRole('button', { name: 'Edit Ada' }).closest('td');
    expect(operations).toHaveClass('actions');
    expect(operations).not.toHaveAttribute('data-label');
  });

  it('lets a row be replaced, e.g. by its edit form', () => {
    const rows = [
      { id: 'a', name: 'Ada' },
      { id: 'b', name: 'Bob' },
    ];
    render(
      <ListView
        query={idle}
        rows={rows}
        columns={columns}
        replaceRow={(r) =>
          r.id === 'b' && (
            <tr>
              <td>editing Bob</td>
            </tr>
          )
        }
        empty="None."
      />,
    );
    expect(screen.getByRole('cell', { name: 'Ada' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'editing Bob' })).toBeInTheDocument();
    expect(screen.queryByRole('cell', { name: 'Bob' })).not.toBeInTheDocument();
  });

  it('shows rows as list items when given an item instead of columns', () => {
    render(<ListView query={idle} rows={[{ id: 'a', name: 'Ada' }]} item={(r) => <li>{r.name}</li>} listClassName="rows" empty="None." />);
    const list = screen.getByRole('list');
    expect(list).toHaveClass('rows');
    expect(within(list).getByRole('listitem')).toHaveTextContent('Ada');
  });

  it('moves between pages with Next and Previous', async () => {
    const load = pages(['ada', 'bob', 'cy']);
    const user = userEvent.setup();
    render(<Paged load={load} />);
    const pager = screen.getByRole('navigation', { name: 'Pages of people' });
    expect(pager).toHaveTextContent('3 people · page 1');
    expect(within(pager).getByRole('button', { name: 'Previous' })).toBeDisabled();
    expect(screen.getAllByRole('row')).toHaveLength(3); // the header and two people

    await user.click(within(pager).getByRole('button', { name: 'Next' }));
    expect(load).toHaveBeenLastCalledWith('after:2', '');
    expect(pager).toHaveTextContent('3 people · page 2');
    expect(screen.getByRole('cell', { name: 'cy' })).toBeInTheDocument();
    expect(screen.queryByRole('cell', { name: 'ada' })).not.toBeInTheDocument();
    expect(within(pager).getByRole('button', { name: 'Next' })).toBeDisabled();

    await user.click(within(pager).getByRole('button', { name: 'Previous' }));
    expect(load).toHaveBeenLastCalledWith(null, '');
    expect(pager).toHaveTextContent('page 1');
    expect(screen.getByRole('cell', { name: 'ada' })).toBeInTheDocument();
  });

  it('shows … for the count while it is on its way, and only the page when it failed', () => {
    const page: Connection<Row> = { nodes: [{ id: 'a', name: 'Ada' }], pageInfo: { hasNextPage: false } };
    function Counted({ total }: { total: Total }) {
      const controls = useListControls({});
      return <ListView page={page} total={total} noun="people" controls={controls} columns={columns} empty="None." />;
    }
    const { rerender } = render(<Counted total={{ loading: true }} />);
    const count = within(screen.getByRole('navigation', { name: 'Pages of people' })).getByText(/page 1/);
    expect(count).toHaveTextContent('… people · page 1');
    expect(count).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('cell', { name: 'Ada' })).toBeInTheDocument();
    rerender(<Counted total={{ value: 1, loading: false }} />);
    expect(count).toHaveTextContent('1 people · page 1');
    expect(count).toHaveAttribute('aria-busy', 'false');
    rerender(<Counted total={{ loading: false }} />);
    expect(count).toHaveTextContent(/^page 1$/);
  });

  it('asks for what is typed in the search box, from the first page', async () => {
    const load = pages(['ada', 'bob', 'bea', 'cy']);
    const user = userEvent.setup();
    render(<Paged load={load} />);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByRole('navigation', { name: 'Pages of people' })).toHaveTextContent('page 2');

    const search = screen.getByRole('searchbox', { name: 'Search' });
    expect(search).toHaveAttribute('placeholder', 'name prefix');
    await user.type(search, 'b');
    await waitFor(() => expect(load).toHaveBeenLastCalledWith(null, 'b'));
    expect(screen.getByRole('navigation', { name: 'Pages of people' })).toHaveTextContent('2 people · page 1');
    expect(screen.getByRole('cell', { name: 'bob' })).toBeInTheDocument();
    expect(screen.queryByRole('cell', { name: 'ada' })).not.toBeInTheDocument();

    await user.type(search, 'x');
    await waitFor(() => expect(load).toHaveBeenLastCalledWith(null, 'bx'));
    expect(screen.getByText('Nobody matches.')).toBeInTheDocument();
  });
});

describe('useListControls', () => {
  afterEach(() => vi.useRealTimers());

  it('applies typed text once typing pauses, and only the last text', () => {
    vi.useFakeTimers();
    const { result } = renderHook(() => useListControls({}));
    act(() => result.current.setSearch('a'));
    act(() => vi.advanceTimersByTime(TYPING_PAUSE_MS - 50));
    act(() => result.current.setSearch('ad'));
    act(() => vi.advanceTimersByTime(TYPING_PAUSE_MS - 1));
    expect(result.current.search).toBe('ad');
    expect(result.current.applied.search).toBe('');
    act(() => vi.advanceTimersByTime(1));
    expect(result.current.applied.search).toBe('ad');
  });

  it('applies a choice at once, with the text still waiting', () => {
    vi.useFakeTimers();
    const { result } = renderHook(() => useListControls({ actor: '', outcome: '' }));
    act(() => result.current.typeFilter('actor', 'ali'));
    expect(result.current.applied.filters).toEqual({ actor: '', outcome: '' });
    act(() => result.current.setFilter('outcome', 'deny'));
    expect(result.current.filters).toEqual({ actor: 'ali', outcome: 'deny' });
    expect(result.current.applied.filters).toEqual({ actor: 'ali', outcome: 'deny' });
    act(() => vi.advanceTimersByTime(TYPING_PAUSE_MS));
    expect(result.current.applied.filters).toEqual({ actor: 'ali', outcome: 'deny' });
  });

  it('goes back to the first page when a filter changes', async () => {
    const load = pages(['ada', 'bob', 'cy']);
    function Filtered() {
      const controls = useListControls({ status: 'any' });
      const page = load(controls.after, '');
      return (
        <ListView
          query={idle}
          page={page}
          total={{ value: page.totalCount, loading: false }}
          noun="people"
          controls={controls}
          toolbar={
            <button type="button" onClick={() => controls.setFilter('status', 'active')}>
              Only {controls.filters.status === 'any' ? 'active' : 'them'}
            </button>
          }
          columns={columns}
          empty="Nobody."
        />
      );
    }
    const user = userEvent.setup();
    render(<Filtered />);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(load).toHaveBeenLastCalledWith('after:2', '');
    await user.click(screen.getByRole('button', { name: 'Only active' }));
    expect(load).toHaveBeenLastCalledWith(null, '');
    expect(screen.getByRole('button', { name: 'Only them' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Pages of people' })).toHaveTextContent('page 1');
  });
});

describe('estimated', () => {
  it('shows an exact count as it is and an estimate as one', () => {
    expect(estimated({ count: 42, exact: true })).toBe('42');
    expect(estimated({ count: 10_001, exact: false })).toBe('more than 10,000');
    expect(estimated({ count: 1_234_567, exact: false })).toBe('about 1,234,567');
  });
});
