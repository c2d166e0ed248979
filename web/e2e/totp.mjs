// An authenticator app for the browser tests: the six-digit code of RFC 6238 (HMAC-SHA1,
// 30-second steps), what every app and the server compute, from the key the page shows.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The bytes of a base32 key as pages show it (any case, spaces and padding ignored).
 * @param {string} text
 */
function base32(text) {
  let bits = '';
  for (const char of text.toUpperCase().replace(/[\s=]/g, '')) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`${char} is not base32`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/**
 * The code of `key` (base32) at `time` (ms since the epoch, now unless given).
 * @param {string} key
 * @param {number} [time]
 */
export function totp(key, time = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / 30)));
  const mac = createHmac('sha1', base32(key)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}
