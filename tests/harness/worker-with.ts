/** The Worker as deployed with extra variables on top of the test configuration (worker tests only). */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import type { WorkerFetch } from "./browser";

export function workerWith(vars: Record<string, string> = {}): WorkerFetch {
  return async (request) => {
    if (!request.headers.has("Host")) request.headers.set("Host", new URL(request.url).host);
    const ctx = createExecutionContext();
    const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, ...vars } as Env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}
