/**
 * A tool's view of the caller, built from the grant's props and the grant's credential store —
 * nothing else identifies the user, and nothing falls back to another credential.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { isGrantProps, type GrantProps } from "../credentials/grant-props";
import { CredentialLease, type CredentialStoreEnv } from "../credentials/credential-lease";
import { XanoMetaClient } from "../xano/client";
import { XanoAccountClient } from "../xano/account";
import type { BearerSource } from "../xano/http";
import type { ToolContext } from "./tools/registry";
import type { ToolsetChoice } from "./tools/toolsets";
import type { ActivityRecorder } from "../activity/record";

/** The grant and credential lease of the MCP request being served (for /mcp). */
export interface McpRequestScope {
  props: GrantProps;
  lease: CredentialLease;
  /** Whether this request's token may call tools that change data (src/mcp/scopes.ts). */
  canWrite?: boolean;
  /**
   * When the request only calls tools: their names. The per-request server then registers just
   * those (building all ~55 definitions for every call was most of a call's CPU time).
   */
  calledTools?: readonly string[];
  /** The grant's toolsets (or the server's default) and the request's `?toolsets=` (connection-toolsets.ts). */
  toolsets?: ToolsetChoice;
  narrowedBy?: ToolsetChoice;
  /** Where this request's tool calls are recorded for the person (src/activity/record.ts). */
  activity?: ActivityRecorder;
}

export const requestScope = new AsyncLocalStorage<McpRequestScope>();

export function scopeFor(env: unknown, props: unknown): McpRequestScope {
  // The OAuth provider calls the MCP handlers only with a valid token, whose props we wrote.
  if (!isGrantProps(props)) throw new Error("MCP request without valid grant props");
  return { props, lease: CredentialLease.for(env as CredentialStoreEnv, props) };
}

export async function toolContextFor(scope: McpRequestScope, xanoAccountUrl: string): Promise<ToolContext> {
  const { lease, props } = scope;
  const credential = await lease.credential();
  const instanceBearer: BearerSource = {
    token: async () => (await lease.credential()).accessToken,
    afterRejected: async (token) => (await lease.afterRejected(token)).accessToken,
  };
  // The account API may refuse an instance's token without that meaning the credential died,
  // so a 401 there is reported as is, not turned into a refresh.
  const accountBearer: BearerSource = { token: async () => (await lease.credential()).accessToken };
  return {
    props,
    lease,
    credential,
    meta: new XanoMetaClient(credential.metaApiBase, instanceBearer),
    account: new XanoAccountClient(xanoAccountUrl, accountBearer),
    // /mcp sets canWrite on the request scope; the /sse session carries it in its props.
    canWrite: scope.canWrite ?? (props as GrantProps & { canWrite?: boolean }).canWrite ?? false,
  };
}
