/**
 * AES-GCM sealing of small JSON values under a 256-bit key. Used for the credential store (key held
 * only in the grant's encrypted props) and the sign-in session (key derived from the cookie value),
 * so what sits in storage is useless without the holder's secret.
 */
import { base64Url, fromBase64Url } from "../lib/secrets";

export async function importKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export function newRawKey(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function keyFromBase64Url(encoded: string): Promise<CryptoKey> {
  return importKey(fromBase64Url(encoded));
}

export async function seal(key: CryptoKey, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(value))));
  return `${base64Url(iv)}.${base64Url(ciphertext)}`;
}

/** Returns null when the value was sealed under another key or altered. */
export async function unseal<T>(key: CryptoKey, sealed: string): Promise<T | null> {
  const [iv, ciphertext] = sealed.split(".");
  if (!iv || !ciphertext) return null;
  try {
    const plaintext = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv) }, key, fromBase64Url(ciphertext));
    return JSON.parse(new TextDecoder().decode(plaintext)) as T;
  } catch {
    return null;
  }
}
