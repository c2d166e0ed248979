// Passkeys between the server's JSON and the browser's WebAuthn API: the server writes every
// binary value in base64url, the browser takes and gives ArrayBuffers. The same conversions as
// the employee pages' script (api/src/portal/passkeys.js), so that the server reads the console's
// answers exactly as it reads theirs.

/** Whether this browser can use passkeys at all; without it, no passkey button is shown. */
export function browserHasPasskeys(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.PublicKeyCredential === 'function' &&
    typeof navigator !== 'undefined' &&
    Boolean(navigator.credentials)
  );
}

export function fromBase64url(text: string): ArrayBuffer {
  let base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  while (base64.length % 4) base64 += '=';
  const raw = atob(base64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes.buffer;
}

export function toBase64url(buffer: ArrayBuffer | ArrayBufferView): string {
  const bytes = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  let raw = '';
  for (let i = 0; i < bytes.length; i += 1) raw += String.fromCharCode(bytes[i]!);
  return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A credential the server names (to exclude or to allow), its id in base64url. */
export interface CredentialDescriptorJSON {
  type: string;
  id: string;
  transports?: string[];
}

/** What the server sends for `navigator.credentials.create`, binary values in base64url. */
export interface CreationOptionsJSON {
  publicKey: Omit<PublicKeyCredentialCreationOptions, 'challenge' | 'user' | 'excludeCredentials'> & {
    challenge: string;
    user: { id: string; name: string; displayName: string };
    excludeCredentials?: CredentialDescriptorJSON[];
  };
}

/** What the server sends for `navigator.credentials.get`, binary values in base64url. */
export interface RequestOptionsJSON {
  publicKey: Omit<PublicKeyCredentialRequestOptions, 'challenge' | 'allowCredentials'> & {
    challenge: string;
    allowCredentials?: CredentialDescriptorJSON[];
  };
}

function descriptors(list: CredentialDescriptorJSON[] | undefined): PublicKeyCredentialDescriptor[] {
  return (list ?? []).map((d) => ({ ...d, id: fromBase64url(d.id) }) as PublicKeyCredentialDescriptor);
}

/** The server's options to register a passkey, as the browser takes them. */
export function creationOptions(options: CreationOptionsJSON): CredentialCreationOptions {
  const pk = options.publicKey;
  return {
    publicKey: {
      ...pk,
      challenge: fromBase64url(pk.challenge),
      user: { ...pk.user, id: fromBase64url(pk.user.id) },
      excludeCredentials: descriptors(pk.excludeCredentials),
    },
  };
}

/** The server's options to use a passkey, as the browser takes them. */
export function requestOptions(options: RequestOptionsJSON): CredentialRequestOptions {
  const pk = options.publicKey;
  return {
    publicKey: {
      ...pk,
      challenge: fromBase64url(pk.challenge),
      allowCredentials: descriptors(pk.allowCredentials),
    },
  };
}

/**
 * What `navigator.credentials.create` or `get` gives (a PublicKeyCredential), as far as the
 * answer reads it: an attestation response has `attestationObject`, an assertion response
 * `authenticatorData`, `signature` and `userHandle`.
 */
export interface BrowserCredential {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  response: {
    clientDataJSON: ArrayBuffer;
    attestationObject?: ArrayBuffer;
    getTransports?: () => string[];
    authenticatorData?: ArrayBuffer;
    signature?: ArrayBuffer;
    userHandle?: ArrayBuffer | null;
  };
  getClientExtensionResults?: () => AuthenticationExtensionsClientOutputs;
}

/** The browser's credential as the server reads it (binary values in base64url). */
export interface CredentialJSON {
  id: string;
  rawId: string;
  type: string;
  extensions: AuthenticationExtensionsClientOutputs;
  response:
    | { clientDataJSON: string; attestationObject: string; transports?: string[] }
    | { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string | null };
}

export function answer(credential: BrowserCredential): CredentialJSON {
  const r = credential.response;
  const common = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    extensions: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
  };
  const clientDataJSON = toBase64url(r.clientDataJSON);
  if (r.attestationObject) {
    return {
      ...common,
      response: {
        clientDataJSON,
        attestationObject: toBase64url(r.attestationObject),
        ...(typeof r.getTransports === 'function' ? { transports: r.getTransports() } : {}),
      },
    };
  }
  return {
    ...common,
    response: {
      clientDataJSON,
      authenticatorData: toBase64url(r.authenticatorData ?? new ArrayBuffer(0)),
      signature: toBase64url(r.signature ?? new ArrayBuffer(0)),
      userHandle: r.userHandle ? toBase64url(r.userHandle) : null,
    },
  };
}

/**
 * Why the browser gave no credential, from the error `navigator.credentials` rejected with:
 * she closed or let the prompt time out (`cancelled`; browsers say no more, so that a page
 * cannot learn which passkeys exist), the authenticator holds a passkey the server excluded —
 * hers already (`duplicate`), the relying party is not this site's (`otherSite`). Undefined for
 * an error that is not the browser's refusal.
 */
export type BrowserRefusal = 'cancelled' | 'duplicate' | 'otherSite' | 'failed';

export function browserRefusal(error: unknown): BrowserRefusal | undefined {
  // Read by name: a DOMException is not an Error in every engine.
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
  switch (name) {
    case 'NotAllowedError':
    case 'AbortError':
      return 'cancelled';
    case 'InvalidStateError':
      return 'duplicate';
    case 'SecurityError':
      return 'otherSite';
    case 'NotSupportedError':
    case 'ConstraintError':
    case 'UnknownError':
      return 'failed';
    default:
      return undefined;
  }
}

/** Registers a passkey: the server's options in, the answer for the server out. */
export async function createPasskey(options: CreationOptionsJSON): Promise<CredentialJSON> {
  const credential = await navigator.credentials.create(creationOptions(options));
  if (!credential) throw new DOMException('no credential', 'NotAllowedError');
  return answer(credential as unknown as BrowserCredential);
}

/** Uses a passkey: the server's options in, the answer for the server out. */
export async function getPasskey(options: RequestOptionsJSON): Promise<CredentialJSON> {
  const credential = await navigator.credentials.get(requestOptions(options));
  if (!credential) throw new DOMException('no credential', 'NotAllowedError');
  return answer(credential as unknown as BrowserCredential);
}
