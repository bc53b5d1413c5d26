/**
 * Dynamic client registration (RFC 7591), before workers-oauth-provider stores the client:
 *
 * - rate-limited per client IP (src/rate-limit/limits.ts);
 * - the body is capped at 16 KiB (the library allows 1 MiB, kept in KV for 30 days per client:
 *   real registrations are well under 2 KiB), refused with 413 before it is read whole;
 * - `client_name` (and its `client_name#lang` variants) is what the consent page, the sign-in page
 *   and Connected apps show as the app's name, so it is cleaned first: control characters and
 *   bidirectional overrides removed (U+202E can make "moc.elgoog" read as "google.com"), runs of
 *   white space made one space, and cut to 100 characters. RFC 7591 §3.2.1 lets the server replace
 *   metadata; the response carries the cleaned name. A name with nothing left is dropped, and the
 *   pages show the client id instead. The pages clean again when they show a name, for clients
 *   stored before this check and for Client ID Metadata Documents, which the library fetches itself.
 */
import type { Config } from "../config";
import { readBounded } from "../lib/bounded-body";
import { countRegistration } from "../rate-limit/limits";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";

export const REGISTRATION_PATH = "/oauth/register";
const MAX_REGISTRATION_BYTES = 16 * 1024;
const MAX_CLIENT_NAME_CHARACTERS = 100;

/** C0 and C1 controls, lone surrogates, and the bidirectional formatting characters (Unicode UAX #9). */
const INVISIBLE = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** A client name as people may be shown it (see above); "" when nothing is left. */
export function cleanClientName(name: string): string {
  const cleaned = name
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, " ")
    .replace(INVISIBLE, "")
    .replace(/\s+/g, " ")
    .trim();
  const characters = Array.from(cleaned); // code points: never cut a surrogate pair in two
  if (characters.length <= MAX_CLIENT_NAME_CHARACTERS) return cleaned;
  return `${characters.slice(0, MAX_CLIENT_NAME_CHARACTERS - 1).join("").trimEnd()}…`;
}

/** POST /oauth/register goes through here before the library (src/index.ts); anything else passes. */
export async function guardRegistration(request: Request, env: RateLimiterEnv, config: Config, next: (request: Request) => Promise<Response>): Promise<Response> {
  if (request.method !== "POST" || new URL(request.url).pathname !== REGISTRATION_PATH) return next(request);
  const decision = await countRegistration(env, request, config.rateLimits);
  if (!decision.allowed) return oauthTooManyRequests(decision.retryAfterSeconds, "client registrations");
  const read = await readBounded(request, MAX_REGISTRATION_BYTES);
  if (!read.ok) return registrationTooLarge();
  return next(withCleanNames(request, read.bytes));
}

/** The request with its body read once; client names cleaned when the body is a JSON object. */
function withCleanNames(request: Request, body: Uint8Array): Request {
  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  let metadata: unknown;
  try {
    metadata = JSON.parse(new TextDecoder().decode(body));
  } catch {
    // Not JSON: the library answers it (400 invalid JSON), from the same bytes.
    return new Request(request.url, { method: request.method, headers, body });
  }
  if (metadata && typeof metadata === "object" && !Array.isArray(metadata)) {
    const fields = metadata as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if ((key !== "client_name" && !key.startsWith("client_name#")) || typeof fields[key] !== "string") continue;
      const cleaned = cleanClientName(fields[key] as string);
      if (cleaned) fields[key] = cleaned;
      else delete fields[key];
    }
  }
  return new Request(request.url, { method: request.method, headers, body: JSON.stringify(metadata) });
}

function registrationTooLarge(): Response {
  return Response.json(
    { error: "invalid_request", error_description: `The registration request must be at most ${MAX_REGISTRATION_BYTES / 1024} KiB.` },
    { status: 413, headers: { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" } },
  );
}

/** 429 for an OAuth endpoint (RFC 6749 style error body). */
function oauthTooManyRequests(retryAfterSeconds: number, what: string): Response {
  return Response.json(
    { error: "too_many_requests", error_description: `Too many ${what} from this address. Try again in ${retryAfterSeconds} s.` },
    // Browser-based clients register too (the library answers /oauth/register with CORS): let them read this.
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Retry-After" } },
  );
}
