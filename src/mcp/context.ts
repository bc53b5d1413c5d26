/**
 * Who an MCP request is for, and a tool's view of them, built from the grant's props and the
 * grant's credential store — nothing else identifies the user, and nothing falls back to another
 * credential.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { OAuthHelpers, OAuthResourceAuth } from "@cloudflare/workers-oauth-provider";
import { isGrantProps, type GrantProps } from "../credentials/grant-props";
import { scopesFor } from "../oauth/scopes";
import type { CredentialHandle } from "../credentials/credential-handle";
import { XanoMetaClient } from "../xano/client";
import { XanoAccountClient } from "../xano/account";
import type { BearerSource } from "../xano/http";
import type { ToolContext } from "./tools/registry";
import type { ToolsetChoice } from "./tools/toolsets";
import type { ActivityRecorder } from "../activity/record";

/** The caller of an MCP request, as workers-oauth-provider hands it over: its helpers, the token, the grant's props. */
export interface McpCaller {
  oauth: OAuthHelpers;
  auth: OAuthResourceAuth;
  props: GrantProps;
  /** Held to read-only by the operator's lists (READ_ONLY_USERS), whatever the grant allows. */
  heldReadOnly: boolean;
}

/** What workers-oauth-provider adds to a request it validated for /mcp or /sse. */
export function callerOf(env: unknown, ctx: ExecutionContext): Omit<McpCaller, "heldReadOnly"> {
  const extended = ctx as ExecutionContext & { props: unknown; auth: OAuthResourceAuth };
  // The OAuth provider calls the MCP handlers only with a valid token, whose props we wrote.
  if (!isGrantProps(extended.props)) throw new Error("MCP request without valid grant props");
  const props = extended.props;
  // A personal access token reaches us through the library's external-token path, which grants no
  // scopes and names no user or client: they come from the token's record, so it meets the same checks.
  const auth = props.personalTokenId ? { ...extended.auth, scope: scopesFor(props.access ?? "read"), userId: props.userId, clientId: "personal-access-token" } : extended.auth;
  return { oauth: (env as { OAUTH_PROVIDER: OAuthHelpers }).OAUTH_PROVIDER, auth, props };
}

/** The MCP request being served (either transport): its grant, its credential handle, what it may list and call. */
export interface McpRequestContext {
  props: GrantProps;
  credentialHandle: CredentialHandle;
  /** Whether this request's token may call tools that change data (src/oauth/scopes.ts `mayWrite`). */
  canWrite: boolean;
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

export const currentMcpRequest = new AsyncLocalStorage<McpRequestContext>();

export async function toolContextFor(request: McpRequestContext, xanoAccountUrl: string): Promise<ToolContext> {
  const { credentialHandle, props } = request;
  const credential = await credentialHandle.credential();
  const instanceBearer: BearerSource = {
    token: async () => (await credentialHandle.credential()).accessToken,
    afterRejected: async (token) => (await credentialHandle.afterRejected(token)).accessToken,
  };
  // The account API may refuse an instance's token without that meaning the credential died,
  // so a 401 there is reported as is, not turned into a refresh.
  const accountBearer: BearerSource = { token: async () => (await credentialHandle.credential()).accessToken };
  return {
    props,
    credentialHandle,
    credential,
    meta: new XanoMetaClient(credential.metaApiBase, instanceBearer),
    account: new XanoAccountClient(xanoAccountUrl, accountBearer),
    canWrite: request.canWrite,
  };
}
