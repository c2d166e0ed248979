// The console's GraphQL client: POST /graphql with the console's session cookie. Operations are
// `graphql(...)` documents from ./gql, so variables and results are typed from schema.graphql.
import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from './gql/graphql';
import i18n from './i18n';

/** One error as the API reports it: `extensions.code`, and `field` when an input is at fault. */
export interface ApiErrorDetail {
  message: string;
  code: string;
  field?: string;
  line?: number;
  column?: number;
}

export class ApiError extends Error {
  readonly details: ApiErrorDetail[];
  constructor(details: ApiErrorDetail[]) {
    super(details.map((d) => d.message).join('; ') || 'request failed');
    this.details = details;
  }
  get code(): string {
    return this.details[0]?.code ?? 'INTERNAL';
  }
  /** The message for `field` (exact, or a parent such as `params` for `params.accountId`). */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }
  /** Messages not tied to any of `knownFields` (shown at the top of a form). */
  otherMessages(knownFields: string[]): string[] {
    return this.details
      .filter((d) => !d.field || !knownFields.includes(d.field))
      .map((d) => d.message);
  }
}

interface RawError {
  message: string;
  extensions?: { code?: string; field?: string; line?: number; column?: number };
}

/** Called when the session is gone, so that the app can show the sign-in page. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

/**
 * Runs one operation. A request aborted by `signal` rejects with the abort's own error (an
 * `AbortError`), not an ApiError: nobody waits for its answer any more, so there is nothing to
 * show.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError([{ message: i18n.t('errors.network'), code: 'NETWORK' }]);
  }
  let body: { data?: TResult | null; errors?: RawError[] };
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError([{ message: i18n.t('errors.status', { status: response.status }), code: 'INTERNAL' }]);
  }
  if (body.errors?.length) {
    const details = body.errors.map((e) => ({
      message: e.message,
      code: e.extensions?.code ?? 'INTERNAL',
      field: e.extensions?.field,
      line: e.extensions?.line,
      column: e.extensions?.column,
    }));
    if (details.some((d) => d.code === 'UNAUTHENTICATED')) onUnauthenticated();
    throw new ApiError(details);
  }
  if (!body.data) throw new ApiError([{ message: i18n.t('errors.noData'), code: 'INTERNAL' }]);
  return body.data;
}

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs a query when mounted and whenever `variables` change (compared as JSON). A request that
 * newer variables, a reload or unmounting supersede is aborted, and whatever it still answers is
 * ignored: a late answer to an old search never replaces the newer one.
 */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): QueryState<TResult> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data?: TResult; error?: ApiError; loading: boolean }>({
    loading: !options.skip,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (options.skip) {
      setState({ loading: false });
      return;
    }
    const controller = new AbortController();
    const { signal } = controller;
    setState((s) => ({ data: s.data, loading: true }));
    request(document, JSON.parse(key) as TVariables, signal).then(
      (data) => signal.aborted || setState({ data, loading: false }),
      (error: unknown) => signal.aborted || setState({ error: toApiError(error), loading: false }),
    );
    return () => controller.abort();
  }, [document, key, generation, options.skip]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError([{ message, code: 'INTERNAL' }]);
}

/** A mutation with its progress and its last error. `run` resolves to undefined on failure. */
export function useMutation<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = useCallback(
    async (variables: TVariables): Promise<TResult | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await request(document, variables);
      } catch (e) {
        setError(toApiError(e));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [document],
  );
  return { run, pending, error };
}

/** Console admin sign-in (`POST /auth/admin/login`, JSON); the server sets the cookie. */
export async function signIn(username: string, password: string): Promise<void> {
  const response = await fetch('/auth/admin/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.ok) return;
  let message = 'Sign-in failed.';
  try {
    const body = (await response.json()) as { message?: string };
    if (body.message) message = body.message;
  } catch {
    // keep the generic message
  }
  throw new Error(message);
}

export async function signOut(): Promise<void> {
  await fetch('/auth/admin/logout', { method: 'POST', credentials: 'same-origin' });
}
