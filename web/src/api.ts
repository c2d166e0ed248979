// The console's GraphQL client: POST /graphql with the console's session cookie. Operations are
// `graphql(...)` documents from ./gql, so variables and results are typed from schema.graphql.
import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from './gql/graphql';
import i18n from './i18n';
import { browserHasPasskeys, browserRefusal, getPasskey, type RequestOptionsJSON } from './webauthn';

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

/**
 * How an admin gives her second factor: a code of her authenticator app, one of her passkeys,
 * or a recovery code.
 */
export type FactorMethod = 'totp' | 'passkey' | 'recovery_code';

/** An authenticator app being set up: shown once, confirmed by its first code. */
export interface AuthenticatorSetup {
  factorId: string;
  /** The key in base32, for apps that cannot scan the QR code. */
  secret: string;
  otpauthUrl: string;
  /** The QR code, a `data:image/svg+xml` URL. */
  qrCode: string;
}

/** What a correct password leads to: a session, or a second step first. */
export type SignInStep =
  | { step: 'done' }
  | { step: 'factor'; methods: FactorMethod[] }
  | { step: 'enrol'; enrolment: AuthenticatorSetup };

/**
 * POSTs JSON to one of the console's sign-in routes (the server sets the cookies). A refusal
 * becomes an ApiError with the server's code, message and field (`{error, message, field}`).
 */
async function postSignIn(path: string, body: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError([{ message: i18n.t('errors.network'), code: 'NETWORK' }]);
  }
  if (response.ok) return response;
  let detail: ApiErrorDetail = { message: i18n.t('errors.status', { status: response.status }), code: 'INTERNAL' };
  try {
    const refused = (await response.json()) as { error?: string; message?: string; field?: string };
    detail = {
      message: refused.message || detail.message,
      code: refused.error ?? detail.code,
      field: refused.field,
    };
  } catch {
    // keep the status
  }
  throw new ApiError([detail]);
}

/**
 * Console admin sign-in (`POST /auth/admin/login`): signed in at once (204), or a second
 * factor is owed first (200 with the step; a short-lived step cookie is set).
 */
export async function signIn(username: string, password: string): Promise<SignInStep> {
  const response = await postSignIn('/auth/admin/login', { username, password });
  if (response.status === 204) return { step: 'done' };
  return (await response.json()) as SignInStep;
}

/** The second step: a code of her authenticator app or a recovery code opens the session. */
export async function giveFactor(method: FactorMethod, code: string): Promise<void> {
  await postSignIn('/auth/admin/login/factor', { method, code });
}

/**
 * The second step where a factor is required and she has none: the app's first code confirms
 * it and opens the session. Resolves to her recovery codes, to show once.
 */
export async function confirmSetupAtSignIn(factorId: string, code: string, name: string): Promise<string[]> {
  const response = await postSignIn('/auth/admin/login/enrol', { factorId, code, name });
  const body = (await response.json()) as { recoveryCodes?: string[] };
  return body.recoveryCodes ?? [];
}

/**
 * Whether this server can use passkeys at all (`GET /auth/admin/login`): not when its address
 * is an IP address, which browsers refuse. A server that cannot say has none.
 */
export async function serverHasPasskeys(signal?: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch('/auth/admin/login', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal,
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { passkeys?: unknown };
    return body.passkeys === true;
  } catch {
    return false;
  }
}

/**
 * Whether passkeys can be offered here: this browser has WebAuthn and this server can use them.
 * False until the server has said so; a browser without WebAuthn does not ask.
 */
export function usePasskeysHere(): boolean {
  const [here, setHere] = useState(false);
  useEffect(() => {
    if (!browserHasPasskeys()) return;
    const controller = new AbortController();
    void serverHasPasskeys(controller.signal).then((yes) => controller.signal.aborted || setHere(yes));
    return () => controller.abort();
  }, []);
  return here;
}

/**
 * Asks the browser for a passkey ceremony. Its refusal (she closed the prompt, the key is
 * registered already, …) becomes an ApiError with a calm message and a `PASSKEY_…` code, shown
 * where the server's refusals are.
 */
export async function askBrowser<T>(ceremony: () => Promise<T>): Promise<T> {
  try {
    return await ceremony();
  } catch (error) {
    const refusal = browserRefusal(error) ?? 'failed';
    const code = { cancelled: 'PASSKEY_CANCELLED', duplicate: 'PASSKEY_DUPLICATE', otherSite: 'PASSKEY_OTHER_SITE', failed: 'PASSKEY_FAILED' }[
      refusal
    ];
    throw new ApiError([{ message: i18n.t(`passkey.${refusal}`), code }]);
  }
}

/**
 * One passkey ceremony of sign-in: the server's options (and a cookie that binds the ceremony
 * to this browser), the browser's answer, and the server's check of it, which opens the session.
 */
async function usePasskey(optionsPath: string, finishPath: string): Promise<void> {
  const begun = (await (await postSignIn(optionsPath, {})).json()) as { ceremony: string; options: RequestOptionsJSON };
  const credential = await askBrowser(() => getPasskey(begun.options));
  await postSignIn(finishPath, { ceremony: begun.ceremony, credential });
}

/** Signs in with a passkey alone, without a password (a discoverable one that verified her). */
export async function signInWithPasskey(): Promise<void> {
  await usePasskey('/auth/admin/passkey/options', '/auth/admin/passkey');
}

/** The second step with one of her passkeys: opens the session. */
export async function givePasskey(): Promise<void> {
  await usePasskey('/auth/admin/login/passkey/options', '/auth/admin/login/passkey');
}

export async function signOut(): Promise<void> {
  await fetch('/auth/admin/logout', { method: 'POST', credentials: 'same-origin' });
}
