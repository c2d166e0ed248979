import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setUnauthenticatedHandler } from './api';
import { graphql } from './gql';

const Viewer = graphql(`
  query TestViewer {
    viewer {
      id
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
