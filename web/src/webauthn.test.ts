import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  answer,
  browserHasPasskeys,
  browserRefusal,
  creationOptions,
  fromBase64url,
  requestOptions,
  toBase64url,
  type BrowserCredential,
} from './webauthn';

/** An ArrayBuffer of these bytes. */
const bytes = (...values: number[]) => new Uint8Array(values).buffer;
const text = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
const list = (buffer: BufferSource | undefined) => Array.from(new Uint8Array(buffer as ArrayBuffer));

afterEach(() => vi.unstubAllGlobals());

describe('base64url', () => {
  it('round-trips every length and every byte, without padding or + and /', () => {
    for (let length = 0; length <= 66; length += 1) {
      const original = Array.from({ length }, (_, i) => (i * 89 + length * 7) % 256);
      const encoded = toBase64url(bytes(...original));
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(list(fromBase64url(encoded))).toEqual(original);
    }
  });

  it('writes what RFC 4648 writes, in the URL alphabet', () => {
    expect(toBase64url(text('foobar'))).toBe('Zm9vYmFy');
    expect(toBase64url(text('fo'))).toBe('Zm8');
    expect(toBase64url(bytes(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(list(fromBase64url('-_-_'))).toEqual([0xfb, 0xff, 0xbf]);
    expect(toBase64url(new Uint8Array([9, 1, 2, 3]).subarray(1))).toBe('AQID');
  });
});

describe('options', () => {
  it('turns the challenge, the user id and the excluded credentials of a registration into bytes', () => {
    const options = creationOptions({
      publicKey: {
        rp: { id: 'localhost', name: 'Lanyard' },
        user: { id: 'AQID', name: 'admin', displayName: 'Admin' },
        challenge: 'BAUG',
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        timeout: 60000,
        excludeCredentials: [{ type: 'public-key', id: 'BwgJ', transports: ['internal'] }],
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      },
    });
    const pk = options.publicKey!;
    expect(list(pk.challenge)).toEqual([4, 5, 6]);
    expect(list(pk.user.id)).toEqual([1, 2, 3]);
    expect(pk.user).toMatchObject({ name: 'admin', displayName: 'Admin' });
    expect(pk.excludeCredentials).toHaveLength(1);
    expect(list(pk.excludeCredentials![0]!.id)).toEqual([7, 8, 9]);
    expect(pk.excludeCredentials![0]).toMatchObject({ type: 'public-key', transports: ['internal'] });
    // The rest as the server sent it.
    expect(pk.rp).toEqual({ id: 'localhost', name: 'Lanyard' });
    expect(pk.authenticatorSelection).toEqual({ residentKey: 'required', userVerification: 'required' });
    expect(pk.timeout).toBe(60000);
  });

  it('turns the challenge and the allowed credentials of a sign-in into bytes', () => {
    const options = requestOptions({
      publicKey: {
        challenge: 'BAUG',
        rpId: 'localhost',
        userVerification: 'preferred',
        allowCredentials: [{ type: 'public-key', id: 'AQID' }],
      },
    });
    const pk = options.publicKey!;
    expect(list(pk.challenge)).toEqual([4, 5, 6]);
    expect(list(pk.allowCredentials![0]!.id)).toEqual([1, 2, 3]);
    expect(pk).toMatchObject({ rpId: 'localhost', userVerification: 'preferred' });
  });

  it('allows no credentials in particular when the server names none (a discoverable passkey)', () => {
    const options = requestOptions({ publicKey: { challenge: 'AA', rpId: 'localhost' } });
    expect(options.publicKey!.allowCredentials).toEqual([]);
  });
});

describe('answer', () => {
  it('reads an attestation (registration) as the server does, with its transports', () => {
    const credential: BrowserCredential = {
      id: 'AQID',
      rawId: bytes(1, 2, 3),
      type: 'public-key',
      response: {
        clientDataJSON: text('{"type":"webauthn.create"}'),
        attestationObject: bytes(0xa3, 0x63),
        getTransports: () => ['internal', 'hybrid'],
      },
      getClientExtensionResults: () => ({ credProps: { rk: true } }),
    };
    expect(answer(credential)).toEqual({
      id: 'AQID',
      rawId: 'AQID',
      type: 'public-key',
      extensions: { credProps: { rk: true } },
      response: {
        clientDataJSON: toBase64url(text('{"type":"webauthn.create"}')),
        attestationObject: 'o2M',
        transports: ['internal', 'hybrid'],
      },
    });
  });

  it('reads an assertion (sign-in) with its user handle, or null without one', () => {
    const credential: BrowserCredential = {
      id: 'BAUG',
      rawId: bytes(4, 5, 6),
      type: 'public-key',
      response: {
        clientDataJSON: bytes(1),
        authenticatorData: bytes(2, 2),
        signature: bytes(3, 3, 3),
        userHandle: bytes(7, 8, 9),
      },
    };
    expect(answer(credential)).toEqual({
      id: 'BAUG',
      rawId: 'BAUG',
      type: 'public-key',
      extensions: {},
      response: { clientDataJSON: 'AQ', authenticatorData: 'AgI', signature: 'AwMD', userHandle: 'BwgJ' },
    });
    const anonymous = answer({ ...credential, response: { ...credential.response, userHandle: null } });
    expect(anonymous.response).toMatchObject({ userHandle: null });
  });
});

describe('the browser', () => {
  it('has passkeys only with PublicKeyCredential and navigator.credentials', () => {
    expect(browserHasPasskeys()).toBe(Boolean(window.PublicKeyCredential && navigator.credentials));
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    vi.stubGlobal('navigator', { ...navigator, credentials: { get: vi.fn(), create: vi.fn() } });
    expect(browserHasPasskeys()).toBe(true);
    vi.stubGlobal('PublicKeyCredential', undefined);
    expect(browserHasPasskeys()).toBe(false);
  });

  it("names the browser's refusals by the DOMException's name", () => {
    expect(browserRefusal(new DOMException('closed', 'NotAllowedError'))).toBe('cancelled');
    expect(browserRefusal(new DOMException('aborted', 'AbortError'))).toBe('cancelled');
    expect(browserRefusal(new DOMException('excluded', 'InvalidStateError'))).toBe('duplicate');
    expect(browserRefusal(new DOMException('rp', 'SecurityError'))).toBe('otherSite');
    expect(browserRefusal(new DOMException('?', 'UnknownError'))).toBe('failed');
    expect(browserRefusal(new Error('the server said no'))).toBeUndefined();
    expect(browserRefusal('a string')).toBeUndefined();
  });
});
