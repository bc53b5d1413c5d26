/**
 * Which backend a request is for, and whether a grant may be used there. A grant is bound to
 * exactly one backend (GrantProps.backend; absent = Xano): a token minted for /servers/a/mcp is
 * refused on /mcp, /sse and /servers/b/mcp, and a Xano token is refused on /servers/a/mcp. The
 * OAuth library cannot tell them apart (every token's audience is our origin), so the MCP door
 * asks this on every request.
 */
import type { GrantProps } from "./grant-props";

/** /servers/{name}/mcp → its path prefix and the pattern of a name (upstream/servers.ts SERVER_NAME). */
export const SERVERS_PREFIX = "/servers";
const SERVER_PATH = /^\/servers\/([a-z0-9][a-z0-9-]{0,39})\/mcp$/;

/** The upstream server a path is for (`/servers/{name}/mcp` → name), or null for Xano's own doors. */
export function backendOfPath(pathname: string): string | null {
  return SERVER_PATH.exec(pathname)?.[1] ?? null;
}

export function serverPath(name: string): string {
  return `${SERVERS_PREFIX}/${name}/mcp`;
}

/** Whether a grant may be used at a door serving `backend` (null: Xano). */
export function grantServes(props: Pick<GrantProps, "backend">, backend: string | null): boolean {
  return (props.backend?.server ?? null) === backend;
}
