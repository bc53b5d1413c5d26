/**
 * A personal access token's own trip through "Sign in with Xano", for a person whose /apps session
 * came from Sign in with Xano and so keeps no Xano credential to copy (SignInSession.credential):
 *
 *   POST /apps/tokens, /apps/tokens/reconnect   the form checked as for any sign-in
 *            (front-door/personal-tokens.ts), then `startTokenTrip`: the choice (a new token's
 *            name, access, toolsets and lifetime, or the token to reconnect) is kept in KV under the
 *            SHA-256 of a random state, for ten minutes, single use, bound to this /apps session
 *            (its binding, sign-in-session.ts) and person; the browser goes to Xano through
 *            `departure` (xano-sign-in.ts), the one Xano OAuth client.
 *   GET /oauth/xano/callback   `takeTokenTrip`: the state found and deleted, the same /apps session
 *            still signed in, the code exchanged through `exchange`, and the Xano person checked
 *            to be the session's. Only then does personal-tokens.ts store anything: Xano's fresh
 *            credential goes straight into the token's own store, never into a session.
 *
 * A state that is not one of ours is left to the other trips (null). Any refusal after the state
 * was found stores nothing, and a credential Xano issued to the wrong person is revoked at Xano.
 */
import type { Config } from "../config";
import type { NewPersonalToken, TokenOwner } from "../credentials/personal-tokens";
import { revokeCredentialUpstream } from "../credentials/revoke";
import { constantTimeEqual, randomToken, sha256Hex } from "../lib/secrets";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { page, seeOther } from "./http";
import { errorPage } from "./pages";
import { readSignInSession, sessionFrom, type BoundSignInSession } from "./sign-in-session";
import { limitStoringRequest } from "./storing-limit";
import { departure, exchange, xanoUnavailable } from "./xano-sign-in";

export type TokenChoice = { create: NewPersonalToken } | { reconnect: string };

interface TokenTrip {
  verifier: string;
  clientId: string;
  /** The /apps session's binding: the trip is finished only by the session that started it. */
  session: string;
  userId: string;
  choice: TokenChoice;
}

const TRIP_PREFIX = "apps-token-trip:";
const TRIP_TTL_SECONDS = 10 * 60;

/** To Xano, with the token choice kept until Xano sends the person back. */
export async function startTokenTrip(request: Request, env: RateLimiterEnv & { OAUTH_KV: KVNamespace }, config: Config, session: BoundSignInSession, choice: TokenChoice): Promise<Response> {
  const limited = await limitStoringRequest(request, env, config);
  if (limited) return limited;
  const trip = await departure(env.OAUTH_KV, config);
  if (!trip) return xanoUnavailable();
  const state = randomToken(32);
  const pending: TokenTrip = { verifier: trip.verifier, clientId: trip.clientId, session: session.binding, userId: session.userId, choice };
  await env.OAUTH_KV.put(TRIP_PREFIX + (await sha256Hex(state)), JSON.stringify(pending), { expirationTtl: TRIP_TTL_SECONDS });
  return seeOther(trip.authorizationUrl(state), []);
}

/**
 * Xano's redirect back from a token trip: the choice and the fresh credential of the session's own
 * person; a refusal page; or null when the state is not a token trip's.
 */
export async function takeTokenTrip(request: Request, env: { OAUTH_KV: KVNamespace }, config: Config): Promise<{ choice: TokenChoice; owner: TokenOwner } | { refused: Response } | null> {
  const params = new URL(request.url).searchParams;
  const state = params.get("state");
  if (!state) return null;
  const key = TRIP_PREFIX + (await sha256Hex(state));
  const stored = await env.OAUTH_KV.get(key);
  if (!stored) return null;
  await env.OAUTH_KV.delete(key); // single use, whatever happens next
  const pending = JSON.parse(stored) as TokenTrip;
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session || !constantTimeEqual(session.binding, pending.session)) {
    return { refused: page(400, errorPage("This token was started in another sign-in", "It was started in a different browser, or your sign-in on Connected apps ended meanwhile, so no token was made or changed.", "Open Connected apps at /apps, sign in, and try again.")) };
  }
  const code = params.get("code");
  if (params.get("error") || !code) return { refused: page(400, errorPage("Sign-in with Xano was cancelled", "Xano did not sign you in, so no token was made or changed.", "Open Connected apps at /apps and try again.")) };
  const result = await exchange(config, code, pending);
  if (!result) return { refused: xanoUnavailable() };
  if (!result.ok) return { refused: page(400, errorPage("Sign-in with Xano did not finish", result.message, "Open Connected apps at /apps and try again.")) };
  const fresh = sessionFrom(result);
  // Whoever Xano signed in must be the person of this /apps session (same account, same instance).
  if (fresh.userId !== session.userId || fresh.userId !== pending.userId) {
    await revokeCredentialUpstream(fresh.credential);
    return {
      refused: page(
        403,
        errorPage("You signed in to Xano as someone else", "The token is made with your Xano sign-in, and Xano signed in another account or instance than the one signed in on Connected apps, so nothing was stored.", "Open Connected apps at /apps and, on Xano's page, sign in with the same account and pick the same instance."),
      ),
    };
  }
  return { choice: pending.choice, owner: { userId: session.userId, xanoUser: fresh.xanoUser, proof: session.proof ?? fresh.proof, credential: fresh.credential } };
}
