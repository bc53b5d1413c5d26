/** The non-API router: everything that is not an MCP endpoint or an OAuth protocol route — the pages people see. */
import { Hono } from "hono";
import type { Config } from "../config";
import { handleAuthorize, type FrontDoorEnv } from "./authorize";
import { page } from "./http";
import { handleXanoCallback } from "./xano-sign-in";
import { CALLBACK_PATH } from "../credentials/sign-in/xano-oauth";
import { errorPage, homePage } from "./pages";
import { FAVICON_SVG, STYLESHEET } from "./styles";
import { handleLogout } from "./logout";
import { handleHealth } from "../operations/health";
import { handleDebugOAuth, handleStatus } from "../operations/status";
import { log } from "../observability/log";
import { revokeApps, showApps, signInToApps } from "./apps";
import { createTokenFromApps, finishTokenTrip, reconnectTokenFromApps, revokeTokenFromApps } from "./personal-tokens";
import { exportActivity, showActivity, type ActivityPageEnv } from "./activity-page";
import { handleAdmin } from "./admin-door";
import { UPSTREAM_CALLBACK_PATH, clientMetadataDocumentResponse, handleUpstreamCallback } from "./upstream-oauth-trip";
import { CLIENT_METADATA_DOCUMENT_PATH } from "../upstream/oauth-registration";

export function createPagesRouter(config: Config) {
  const app = new Hono<{ Bindings: FrontDoorEnv }>();
  const notFound = () => page(404, errorPage("Page not found", "There is nothing at this address.", "The MCP endpoint is /mcp; sign-in starts from your MCP client."));

  app.get("/", () => page(200, homePage(`${config.publicUrl}/mcp`)));
  app.get("/styles.css", () =>
    new Response(STYLESHEET, { headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff" } }),
  );
  app.get("/favicon.ico", () => new Response(FAVICON_SVG, { headers: { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff" } }));
  app.on(["GET", "POST"], "/authorize", (c) => handleAuthorize(c.req.raw, c.env, config));
  app.on(["GET", "POST"], "/logout", (c) => handleLogout(c.req.raw, c.env, config));
  app.get("/apps", (c) => showApps(c.req.raw, c.env, config));
  app.post("/apps/sign-in", (c) => signInToApps(c.req.raw, c.env, config));
  app.post("/apps/revoke", (c) => revokeApps(c.req.raw, c.env, "one"));
  app.post("/apps/revoke-all", (c) => revokeApps(c.req.raw, c.env, "all"));
  app.post("/apps/tokens", (c) => createTokenFromApps(c.req.raw, c.env, config));
  app.post("/apps/tokens/revoke", (c) => revokeTokenFromApps(c.req.raw, c.env));
  app.post("/apps/tokens/reconnect", (c) => reconnectTokenFromApps(c.req.raw, c.env, config));
  app.get("/apps/activity", (c) => showActivity(c.req.raw, c.env as ActivityPageEnv, config));
  app.get("/apps/activity.csv", (c) => exportActivity(c.req.raw, c.env as ActivityPageEnv, "csv"));
  app.get("/apps/activity.json", (c) => exportActivity(c.req.raw, c.env as ActivityPageEnv, "json"));
  // Xano's redirect answers a personal token's trip or a sign-in started on /apps (each recognised
  // by its state), else an MCP authorization.
  app.get(CALLBACK_PATH, async (c) => (await finishTokenTrip(c.req.raw, c.env, config)) ?? handleXanoCallback(c.req.raw, c.env, config));
  // An upstream MCP server's authorization server sends the person back here (upstream-oauth-trip.ts),
  // and reads our client id document here when it takes Client ID Metadata Documents.
  app.get(UPSTREAM_CALLBACK_PATH, (c) => handleUpstreamCallback(c.req.raw, c.env, config));
  app.get(CLIENT_METADATA_DOCUMENT_PATH, () => clientMetadataDocumentResponse(config));
  // The operator's view: 404, exactly as below, for everyone but a signed-in operator (admin-door.ts).
  app.all("/admin", (c) => handleAdmin(c.req.raw, c.env as ActivityPageEnv, config, notFound));
  app.all("/admin/*", (c) => handleAdmin(c.req.raw, c.env as ActivityPageEnv, config, notFound));
  app.get("/health", (c) => handleHealth(c.req.raw, c.env, config));
  app.get("/status", (c) => handleStatus(c.req.raw, c.env, config));
  if (config.debugTools) app.get("/debug-oauth", (c) => handleDebugOAuth(c.req.raw, c.env, config));

  app.notFound(notFound);
  app.onError((error) => {
    log("front_door_error", { error: error.name, reason: error.message });
    return page(500, errorPage("Something went wrong", "The server could not finish this request.", "Try again. If it keeps happening, see DEBUG.md."));
  });
  return app;
}
