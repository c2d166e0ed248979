// A stand-in for the browser's WebAuthn API in component tests (jsdom has none):
// `PublicKeyCredential` and `navigator.credentials`, whose `create` and `get` answer with
// credentials of fixed bytes, or reject as a browser does when told to.
import { vi } from 'vitest';

const bytes = (...values: number[]) => new Uint8Array(values).buffer;

/** A registration's answer, as `navigator.credentials.create` gives it. */
export const CREATED = {
  id: 'AQID',
  rawId: bytes(1, 2, 3),
  type: 'public-key',
  response: { clientDataJSON: bytes(4), attestationObject: bytes(5, 6), getTransports: () => ['internal'] },
  getClientExtensionResults: () => ({}),
};

/** What the server reads of CREATED. */
export const CREATED_JSON = {
  id: 'AQID',
  rawId: 'AQID',
  type: 'public-key',
  extensions: {},
  response: { clientDataJSON: 'BA', attestationObject: 'BQY', transports: ['internal'] },
};

/** A sign-in's answer, as `navigator.credentials.get` gives it. */
export const ASSERTED = {
  id: 'AQID',
  rawId: bytes(1, 2, 3),
  type: 'public-key',
  response: { clientDataJSON: bytes(7), authenticatorData: bytes(8), signature: bytes(9), userHandle: bytes(10) },
  getClientExtensionResults: () => ({}),
};

/** What the server reads of ASSERTED. */
export const ASSERTED_JSON = {
  id: 'AQID',
  rawId: 'AQID',
  type: 'public-key',
  extensions: {},
  response: { clientDataJSON: 'Bw', authenticatorData: 'CA', signature: 'CQ', userHandle: 'Cg' },
};

/** The refusal a browser gives when she closes its prompt. */
export const cancelled = () => new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError');

/**
 * Gives jsdom a WebAuthn API whose `create` and `get` answer CREATED and ASSERTED unless a test
 * tells them otherwise (`mockRejectedValueOnce(cancelled())`). Undone by `removePasskeys`.
 */
export function fakePasskeys() {
  const credentials = {
    create: vi.fn(async (_options?: CredentialCreationOptions): Promise<unknown> => CREATED),
    get: vi.fn(async (_options?: CredentialRequestOptions): Promise<unknown> => ASSERTED),
  };
  vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
  Object.defineProperty(navigator, 'credentials', { value: credentials, configurable: true });
  return credentials;
}

export function removePasskeys() {
  Reflect.deleteProperty(navigator, 'credentials');
}
