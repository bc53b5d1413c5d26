/** The provider for a credential's kind (providers/provider.ts): Xano's or an upstream MCP server's. */
import { isUpstreamCredential, type StoredCredential } from "../credential";
import type { CredentialProvider } from "./provider";
import { upstreamProvider } from "./upstream";
import { xanoProvider } from "./xano";

export type { CredentialProvider } from "./provider";

export function providerFor<C extends StoredCredential>(credential: C): CredentialProvider<C> {
  // Each provider accepts exactly the credentials this test sends it.
  return (isUpstreamCredential(credential) ? upstreamProvider : xanoProvider) as unknown as CredentialProvider<C>;
}
