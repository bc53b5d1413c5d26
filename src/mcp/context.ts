/** Builds a tool's view of the caller from the grant's props: nothing else identifies the user. */
import { isGrantProps } from "../credentials/grant-props";
import { XanoAccountClient, XanoMetaClient } from "../xano/client";
import type { ToolContext } from "./tools/registry";

export function toolContextFor(props: unknown, xanoAccountUrl: string): ToolContext {
  // The OAuth provider only calls the MCP handlers with a valid token, whose props we wrote.
  // Anything else is a bug, and must never fall back to some other credential.
  if (!isGrantProps(props)) throw new Error("MCP request without valid grant props");
  const { token, metaApiBase } = props.credential;
  return {
    props,
    meta: new XanoMetaClient(metaApiBase, token),
    account: new XanoAccountClient(xanoAccountUrl, token),
  };
}
