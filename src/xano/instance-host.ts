/**
 * Which hosts a person may type as their Xano instance (the Metadata API token sign-in, and the
 * optional instance URL of the email and password sign-in). The server sends the typed token to
 * that host and reads its answer, so an open choice would make it a probe of any address the
 * Worker can reach (an IP, a port, a private name) and a leak of the token to a look-alike host.
 *
 * Allowed: Xano's instance hosts (`<name>.<cluster>.xano.io`, any subdomain of xano.io), the host
 * of XANO_AUTH_URL (configured, so trusted), and the custom domains the operator lists in
 * XANO_CUSTOM_DOMAINS (an instance with its own domain; Xano's account API names it as
 * `custom_domain`, but a typed token cannot ask that API, so the operator lists it; config.ts adds
 * the hosts of ALLOWED_XANO_INSTANCES, which src/access/policy.ts also holds every sign-in to). Loopback hosts
 * (any port) only when the configured Xano URLs are loopback themselves, which is `npm run dev`
 * and the local stack against fake-xano. Never an IP literal otherwise, never an explicit port.
 * A refusal is one fixed sentence naming the rule; nothing is fetched.
 */
import type { Config } from "../config";
import { instanceMetaApiBase, isLoopbackHost } from "../lib/upstream-url";

export interface InstanceHostPolicy {
  /** Exact host names, or `*.example.com` for any subdomain. Lower case. */
  customDomains: readonly string[];
  /** Hosts the operator configured (XANO_AUTH_URL's). */
  configuredHosts: readonly string[];
  /** Loopback instances (fake-xano) are accepted only when the configured Xano URLs are loopback. */
  allowLoopback: boolean;
}

export const XANO_INSTANCE_DOMAIN = "xano.io";

export function instanceHostPolicy(config: Pick<Config, "xanoAccountUrl" | "xanoAuthUrl" | "xanoCustomDomains">): InstanceHostPolicy {
  const configured = [config.xanoAccountUrl, config.xanoAuthUrl].filter((url): url is string => url !== null).map((url) => new URL(url));
  return {
    customDomains: config.xanoCustomDomains,
    configuredHosts: config.xanoAuthUrl ? [new URL(config.xanoAuthUrl).host] : [],
    allowLoopback: configured.some((url) => isLoopbackHost(url.hostname)),
  };
}

/** What a person typed as their instance → its Meta API base, if the host is one we may call. */
export function typedInstanceMetaApiBase(value: string, policy: InstanceHostPolicy): { ok: true; base: string } | { ok: false; reason: string } {
  const instance = instanceMetaApiBase(value);
  if (!instance.ok) return instance;
  const url = new URL(instance.base);
  // DNS allows no longer name; the messages that follow quote the host.
  if (url.hostname.length > 253) return { ok: false, reason: "the host name is longer than 253 characters" };
  const allowed = checkInstanceHost(url, policy);
  return allowed.ok ? instance : allowed;
}

export function checkInstanceHost(url: URL, policy: InstanceHostPolicy): { ok: true } | { ok: false; reason: string } {
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(host)) return policy.allowLoopback ? { ok: true } : refused;
  if (isIpLiteral(host) || url.port !== "") return refused;
  if (policy.configuredHosts.includes(url.host)) return { ok: true };
  if (host.endsWith(`.${XANO_INSTANCE_DOMAIN}`)) return { ok: true };
  if (policy.customDomains.some((domain) => (domain.startsWith("*.") ? host.endsWith(domain.slice(1)) : host === domain))) return { ok: true };
  return refused;
}

const refused = {
  ok: false as const,
  reason: `this server connects only to Xano instance addresses (like https://x1234-5678-9012.n7.xano.io, no IP address or port) and to the custom domains its operator allowed`,
};

export function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || /^[\d.]+$/.test(hostname) || /^0x/i.test(hostname);
}
