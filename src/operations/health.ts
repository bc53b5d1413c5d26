/**
 * GET /health — no authentication, no secrets. For uptime checks and for the first question of
 * any investigation ("is the Worker configured and can it reach its storage?"):
 *
 *   configuration   the Worker started, so the configuration parsed (config.ts refuses to start
 *                   otherwise); reported: public URL, sign-in methods, debug on/off, and a warning
 *                   when the request's origin is not PUBLIC_URL (tokens are bound to PUBLIC_URL)
 *   bindings        OAUTH_KV, CREDENTIAL_STORE, MCP_SSE and RATE_LIMITER are bound
 *   kv              one KV read answers
 *   durableObject   one credential-store Durable Object answers (a read of an empty probe object)
 *
 * 200 when every check passes, 503 naming the failed checks otherwise. Cost: one KV read and one
 * Durable Object hop, never a KV list.
 */
import type { Config } from "../config";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import type { RateLimiter } from "../rate-limit/rate-limiter";
import { SERVER_INFO } from "../server-info";
import { countRequest, log } from "../observability/log";

export interface HealthEnv extends CredentialStoreEnv {
  OAUTH_KV: KVNamespace;
  MCP_SSE?: DurableObjectNamespace;
  RATE_LIMITER?: DurableObjectNamespace<RateLimiter>;
}

/** Every binding wrangler.toml declares. */
const BINDINGS = ["OAUTH_KV", "CREDENTIAL_STORE", "MCP_SSE", "RATE_LIMITER"] as const;

const CHECK_TIMEOUT_MS = 3000;
/** A key nothing writes: reading it proves KV answers. */
const KV_PROBE_KEY = "health:probe";
/** A credential store that never holds a credential: asking its status proves Durable Objects answer. */
const DO_PROBE_NAME = "health:probe";

type Check = { ok: true; ms?: number } | { ok: false; ms?: number; error: string; fix: string };

export async function handleHealth(request: Request, env: HealthEnv, config: Config): Promise<Response> {
  const warnings: string[] = [];
  const origin = new URL(request.url).origin;
  if (origin !== config.publicUrl) {
    warnings.push(`This request came to ${origin}, but PUBLIC_URL is ${config.publicUrl}; MCP clients must use PUBLIC_URL exactly (tokens are bound to it).`);
  }
  const missing = BINDINGS.filter((name) => !(env as unknown as Record<string, unknown>)[name]);
  const checks: Record<string, Check> = {
    configuration: { ok: true },
    bindings: missing.length
      ? { ok: false, error: `missing binding(s): ${missing.join(", ")}`, fix: "Declare them in wrangler.toml ([[kv_namespaces]] OAUTH_KV, [[durable_objects.bindings]] CREDENTIAL_STORE, MCP_SSE and RATE_LIMITER with their [[migrations]] entries) and deploy again." }
      : { ok: true },
    kv: env.OAUTH_KV
      ? await timed(() => env.OAUTH_KV.get(KV_PROBE_KEY), "Check the OAUTH_KV namespace id in wrangler.toml and that it exists (`wrangler kv namespace list`).")
      : { ok: false, error: "OAUTH_KV is not bound", fix: "Add [[kv_namespaces]] binding = \"OAUTH_KV\" to wrangler.toml." },
    durableObject: env.CREDENTIAL_STORE
      ? await timed(() => (countRequest("storeCalls"), credentialStoreFor(env, DO_PROBE_NAME).status()), "Check [[durable_objects.bindings]] CREDENTIAL_STORE and its [[migrations]] entry in wrangler.toml.")
      : { ok: false, error: "CREDENTIAL_STORE is not bound", fix: "Add the CREDENTIAL_STORE Durable Object binding and its migration to wrangler.toml." },
  };
  const failed = Object.entries(checks).filter(([, check]) => !check.ok).map(([name]) => name);
  for (const name of failed) {
    const check = checks[name] as Extract<Check, { ok: false }>;
    log("health_failed", { check: name, reason: check.error });
  }
  return Response.json(
    {
      status: failed.length ? "unhealthy" : "ok",
      name: SERVER_INFO.name,
      version: SERVER_INFO.version,
      failed,
      checks,
      configuration: { publicUrl: config.publicUrl, signInMethods: config.signInMethods, debug: config.debugTools, accessTokenTtlSeconds: config.accessTokenTtlSeconds },
      warnings,
    },
    { status: failed.length ? 503 : 200, headers: { "Cache-Control": "no-store" } },
  );
}

async function timed(probe: () => Promise<unknown>, fix: string): Promise<Check> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: `${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? ""}`.slice(0, 200), fix };
  } finally {
    clearTimeout(timer);
  }
}
