import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setUnauthenticatedHandler, useQuery } from './api';
import { graphql } from './gql';

const Viewer = graphql(`
  query TestViewer {
    viewer {
      id
    }
  }
`);

const Group = graphql(`
  query TestGroup($instanceId: ID!, $id: ID!) {
    instance(id: $instanceId) {
      id
      group(id: $id) {
        id
        name
      }
    }
  }
`);

function answer(body: unknown, status = 200) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })));
}

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('posts the operation as JSON with the session cookie and returns data', async () => {
    answer({ data: { viewer: { id: 'a1' } } });
    await expect(request(Viewer)).resolves.toEqual({ viewer: { id: 'a1' } });
    const [url, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(url).toBe('/graphql');
    expect(init?.credentials).toBe('same-origin');
    expect(JSON.parse(String(init?.body)).query).toContain('query TestViewer');
  });

  it('keeps code, field, line and column of each error', async () => {
    answer({
      data: null,
      errors: [
        { message: 'bad', extensions: { code: 'BAD_USER_INPUT', field: 'source', line: 2, column: 7 } },
      ],
    });
    const error = await request(Viewer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).details).toEqual([
      { message: 'bad', code: 'BAD_USER_INPUT', field: 'source', line: 2, column: 7 },
    ]);
    expect((error as ApiError).fieldMessage('source')).toBe('bad');
  });

  it('tells the app when the session is gone', async () => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    answer({ data: null, errors: [{ message: 'sign in', extensions: { code: 'UNAUTHENTICATED' } }] });
    await expect(request(Viewer)).rejects.toThrow('sign in');
    expect(handler).toHaveBeenCalled();
  });
});

describe('request with a signal', () => {
  it('rejects an aborted request with the abort, not as a network failure', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise((_resolve, reject) =>
            init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
          ),
      ),
    );
    const controller = new AbortController();
    const answer = request(Viewer, {}, controller.signal);
    controller.abort();
    const error = await answer.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as DOMException).name).toBe('AbortError');
  });
});

describe('useQuery', () => {
  it('aborts the request that new variables supersede and ignores its late answer', async () => {
    const pending: { id: string; signal: AbortSignal; answer: (name: string) => void }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise<Response>((resolve) => {
            const { variables } = JSON.parse(String(init.body)) as { variables: { id: string } };
            pending.push({
              id: variables.id,
              signal: init.signal!,
              answer: (name) =>
                resolve(
                  new Response(
                    JSON.stringify({ data: { instance: { id: 'i1', group: { id: variables.id, name } } } }),
                  ),
                ),
            });
          }),
      ),
    );
    const { result, rerender } = renderHook(({ id }) => useQuery(Group, { instanceId: 'i1', id }), {
      initialProps: { id: 'g1' },
    });
    rerender({ id: 'g2' });
    expect(pending.map((p) => [p.id, p.signal.aborted])).toEqual([
      ['g1', true],
      ['g2', false],
    ]);
    pending[1]!.answer('Engineering');
    await waitFor(() => expect(result.current.data?.instance.group.name).toBe('Engineering'));
    // The server answers the old request anyway (a fetch that ignores its signal): too late.
    pending[0]!.answer('Sales');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(result.current.data?.instance.group.name).toBe('Engineering');
    expect(result.current.loading).toBe(false);
  });
});
