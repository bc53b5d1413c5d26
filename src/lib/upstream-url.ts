/**
 * The one rule for every upstream host: https always, plain http only for loopback hosts
 * (that is how fake-xano runs locally). Used for configuration and for URLs people type.
 */
export type UpstreamUrlResult = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function parseUpstreamUrl(value: string): UpstreamUrlResult {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: "it is not an absolute URL (expected something like https://x1234-5678-9012.n7.xano.io)" };
  }
  if (url.username || url.password) return { ok: false, reason: "it must not contain a user name or password" };
  if (url.search || url.hash) return { ok: false, reason: "it must not contain a query string or fragment" };
  if (url.protocol === "https:") return { ok: true, url };
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return { ok: true, url };
  if (url.protocol === "http:") return { ok: false, reason: "it must use https (plain http is allowed only for localhost)" };
  return { ok: false, reason: url.protocol.length <= 16 ? `the scheme "${url.protocol}" is not allowed; use https` : "only https is allowed" };
}

/**
 * Turns what a person typed as their instance ("x1234.n7.xano.io", "https://x1234.n7.xano.io/",
 * or the full Meta API base "https://x1234.n7.xano.io/api:meta") into the Meta API base URL.
 */
export function instanceMetaApiBase(value: string): { ok: true; base: string } | { ok: false; reason: string } {
  let text = value.trim();
  if (text !== "" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  const parsed = parseUpstreamUrl(text);
  if (!parsed.ok) return parsed;
  const path = parsed.url.pathname.replace(/\/+$/, "");
  if (path === "" || path === "/api:meta") return { ok: true, base: `${parsed.url.origin}/api:meta` };
  return {
    ok: false,
    reason: "enter the instance address only, like https://x1234-5678-9012.n7.xano.io (optionally ending in /api:meta)",
  };
}
