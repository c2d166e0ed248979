// A stand-in for POST /graphql in component tests: it answers each operation by its name and
// keeps every call, with the signal that can abort it. It also says whether the server can use
// passkeys (`GET /auth/admin/login`), which pages ask before they offer one.
import { vi } from 'vitest';

export interface Call {
  operation: string;
  variables: Record<string, unknown>;
  signal?: AbortSignal | null;
}

/** Answers by operation name; an answer may be a promise, to hold it back. */
type Answers = Record<string, (variables: Record<string, unknown>) => unknown>;

/** Stubs `fetch` with the answers (undo with `vi.unstubAllGlobals()`); returns the calls. */
export function server(answers: Answers, options: { passkeys?: boolean } = {}): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      if (url === '/auth/admin/login' && init.method !== 'POST') {
        return new Response(JSON.stringify({ passkeys: options.passkeys ?? false }), { status: 200 });
      }
      const { query, variables } = JSON.parse(String(init.body)) as { query: string; variables: Record<string, unknown> };
      const operation = /(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '';
      calls.push({ operation, variables, signal: init.signal });
      const answer = answers[operation];
      if (!answer) throw new Error(`unexpected operation ${operation}`);
      // Like a server that finishes what it started, this answers even an aborted request.
      return new Response(JSON.stringify(await answer(variables)), { status: 200 });
    }),
  );
  return calls;
}

/** An answer held back until the test releases it. */
export function heldBack<T>() {
  let release: (value: T) => void = () => {};
  const answer = new Promise<T>((resolve) => {
    release = resolve;
  });
  return { answer, release };
}
