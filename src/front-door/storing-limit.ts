/**
 * Counts a request that is about to store something before anyone is signed in, per address
 * (src/rate-limit/limits.ts); the page to answer with when the address is over its budget.
 */
import type { Config } from "../config";
import { countStoringRequest } from "../rate-limit/limits";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { formPageOf, tooManyStoringRequestsPage } from "./pages";

export async function limitStoringRequest(request: Request, env: RateLimiterEnv, config: Config): Promise<Response | null> {
  const decision = await countStoringRequest(env, request, config.rateLimits);
  return decision.allowed ? null : tooManyStoringRequestsPage(decision.retryAfterSeconds, formPageOf(request));
}
