// createFakeXano: an in-memory Xano (account API, OAuth server, instance Meta API, an app auth
// group) behind one `fetch(request)`. Requests are dispatched by the URL's ORIGIN, as on the real
// network: the account origin serves the account API, the OAuth server and the admin route; each
// instance origin serves that instance's Meta API (and, on the shared instance, `/api:auth`).
// Web-standard APIs only, so the same code runs in workerd tests (through msw) and in Node (serve.ts).

import { DEFAULT_ACCOUNT_ORIGIN, DEFAULT_INSTANCE_ORIGINS, seed as defaultSeed, type Seed, type SeedInstance } from "../fixtures/seed";
import { handleAdmin } from "./admin";
import { authenticate, identifyBearer } from "./auth";
import { createContext, type FakeCore } from "./context";
import { FakeNetworkError, XanoError, errorResponse, responseForError } from "./errors";
import { KnobState, type Knobs } from "./knobs";
import { RequestLog } from "./log";
import { matchRoute, routeKey, type RouteDef, type RouteMatch, type Surface } from "./router";
import { accountRoutes } from "./routes/account";
import { appAuthRoutes } from "./routes/app-auth";
import { contentRoutes } from "./routes/meta-content";
import { indexRoutes } from "./routes/meta-indexes";
import { apiRoutes } from "./routes/meta-apis";
import { fileRoutes } from "./routes/meta-files";
import { historyRoutes } from "./routes/meta-history";
import { schemaRoutes } from "./routes/meta-schema";
import { tableRoutes } from "./routes/meta-tables";
import { workspaceRoutes } from "./routes/meta-workspace";
import { logicRoutes } from "./routes/meta-logic";
import { runRoutes } from "./routes/meta-runs";
import { convertAndBetaRoutes } from "./routes/meta-convert-beta";
import { objectExtraRoutes } from "./routes/meta-object-extras";
import { workspaceArchiveRoutes } from "./routes/meta-workspace-archive";
import { workspaceSettingsRoutes } from "./routes/meta-workspace-settings";
import { servedOperations, type ServedOperation } from "./served-operations";
import { oauthRoutes } from "./routes/oauth";
import { createStore } from "./store";

export type { FailNextOptions, Knobs, RateLimitOptions } from "./knobs";
export type { LogEntry, RequestLog } from "./log";
export { FakeNetworkError } from "./errors";

export interface FakeXanoOptions {
  /** Default https://app.xano.test */
  accountOrigin?: string;
  /** instance name → origin. Default: the seed's two instances on *.xano.io hosts. */
  instanceOrigins?: Record<string, string>;
  seed?: Seed;
  /** The clock (epoch ms) for expiries and timestamps; default Date.now. */
  now?: () => number;
}

export interface FakeXano {
  /** Serves one request. Rejects with FakeNetworkError when a knob drops the call. */
  fetch(request: Request): Promise<Response>;
  /** Every origin the fake answers for: the account origin first, then each instance origin. */
  readonly origins: string[];
  readonly accountOrigin: string;
  readonly instanceOrigins: Readonly<Record<string, string>>;
  readonly knobs: Knobs;
  readonly log: RequestLog;
  /** Same as knobs.reset(): restore the seed, disarm knobs, clear the log. */
  reset(): void;
}

/**
 * Every route the fake serves, declared as data (see router.ts). Each (method, template) is served
 * by exactly one route file; served-operations.ts's `duplicateRoutes` is checked by tests/node/fake-xano.test.ts.
 */
export const ROUTES: RouteDef[] = [
  ...accountRoutes, ...oauthRoutes, ...workspaceRoutes, ...tableRoutes, ...schemaRoutes, ...contentRoutes, ...appAuthRoutes,
  ...indexRoutes, ...fileRoutes, ...apiRoutes, ...historyRoutes,
  // The XanoScript objects (functions, tasks, triggers, …) and the rest of the Metadata API.
  ...logicRoutes, ...runRoutes, ...workspaceSettingsRoutes, ...workspaceArchiveRoutes, ...objectExtraRoutes, ...convertAndBetaRoutes,
];

/**
 * Every instance Meta API operation the fake serves, as `{method, path}` with the path under
 * `/api:meta` in the spelling of Xano's description (`GET /workspace/{workspace_id}/table`), one
 * entry per operation. Tests compare it with the description and with what the server's client calls.
 */
export const SERVED_OPERATIONS: ReadonlyArray<ServedOperation> = servedOperations(ROUTES);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createFakeXano(options: FakeXanoOptions = {}): FakeXano {
  const seed = options.seed ?? defaultSeed;
  const accountOrigin = new URL(options.accountOrigin ?? DEFAULT_ACCOUNT_ORIGIN).origin;
  const instanceOrigins: Record<string, string> = {};
  for (const [name, origin] of Object.entries(options.instanceOrigins ?? DEFAULT_INSTANCE_ORIGINS)) {
    instanceOrigins[name] = new URL(origin).origin;
  }
  const instanceByOrigin = new Map<string, SeedInstance>();
  const core: FakeCore = { store: createStore(seed), now: options.now ?? (() => Date.now()), accountOrigin, instanceOrigins };
  const refreshInstanceIndex = () => {
    instanceByOrigin.clear();
    for (const inst of core.store.instances) if (instanceOrigins[inst.name]) instanceByOrigin.set(instanceOrigins[inst.name], inst);
  };
  refreshInstanceIndex();

  const log = new RequestLog();
  const knobs = new KnobState(core, new Set(ROUTES.map(routeKey)), () => {
    core.store = createStore(seed);
    refreshInstanceIndex();
    log.clear();
  });

  async function runRoute(request: Request, match: RouteMatch, instance: SeedInstance | undefined): Promise<Response> {
    const ctx = createContext(core, request, match.params, instance);
    try {
      ctx.principal = authenticate(ctx, match.route.auth);
      const result = await match.route.handle(ctx);
      return result instanceof Response ? result : Response.json(result ?? null);
    } catch (err) {
      if (err instanceof XanoError) return responseForError(err);
      console.error("fake-xano: handler crashed", err);
      return errorResponse(500, "ERROR_FATAL", String((err as Error)?.message ?? err));
    }
  }

  /** Knobs wrap the route: rate limit, then an injected failure "before", the handler, then "after". */
  async function serve(request: Request, match: RouteMatch, origin: string, instance: SeedInstance | undefined): Promise<Response> {
    const retryAfter = knobs.takeRateLimit(match.template, origin);
    if (retryAfter !== null) {
      return errorResponse(429, "ERROR_CODE_TOO_MANY_REQUESTS", "Too many requests.", "", { "retry-after": String(retryAfter) });
    }
    const before = knobs.takeFailure(match.template, origin, "before");
    if (before === "network") throw new FakeNetworkError(match.template);
    if (before !== null) return errorResponse(before);
    const response = await runRoute(request, match, instance);
    const after = knobs.takeFailure(match.template, origin, "after");
    if (after === "network") throw new FakeNetworkError(match.template);
    if (after !== null) return errorResponse(after);
    return response;
  }

  async function fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const origin = url.origin;
    if (origin === accountOrigin && url.pathname.startsWith("/__admin/")) return handleAdmin(request, url.pathname, knobs, log);
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);

    const instance = instanceByOrigin.get(origin);
    const surface: Surface | null = origin === accountOrigin ? "account" : instance ? "instance" : null;
    const match = surface ? matchRoute(ROUTES, surface, request.method, url.pathname) : null;
    const entry = {
      at: core.now(), method: request.method, origin, path: url.pathname, route: match?.template ?? null,
      ...identifyBearer(core.store, request),
    };
    try {
      const response = match
        ? await serve(request, match, origin, instance)
        : errorResponse(404, "ERROR_CODE_NOT_FOUND", surface ? "Route not found." : `fake-xano does not serve ${origin}.`);
      log.record({ ...entry, status: response.status });
      return response;
    } catch (err) {
      log.record({ ...entry, status: 0 });
      throw err;
    }
  }

  return {
    fetch,
    origins: [accountOrigin, ...Object.values(instanceOrigins)],
    accountOrigin,
    instanceOrigins,
    knobs,
    log,
    reset: () => knobs.reset(),
  };
}
