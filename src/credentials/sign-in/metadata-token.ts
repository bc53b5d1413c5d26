/** Sign-in with a Metadata API token the person pastes, checked against the instance's auth/me. */
import { typedInstanceMetaApiBase, type InstanceHostPolicy } from "../../xano/instance-host";
import { overLongField } from "./field-limits";
import { identify, metadataTokenProof, type SignInResult } from "./result";

export async function signInWithMetadataToken(instanceUrl: string, token: string, hosts: InstanceHostPolicy): Promise<SignInResult> {
  const tooLong = overLongField("instanceUrl", instanceUrl);
  if (tooLong) return { ok: false, message: tooLong };
  const instance = typedInstanceMetaApiBase(instanceUrl, hosts);
  if (!instance.ok) return { ok: false, message: `The instance URL is not valid: ${instance.reason}.` };
  if (token === "") return { ok: false, message: "Paste your Metadata API token." };
  if (overLongField("token", token) || /\s/.test(token)) return { ok: false, message: "That does not look like a Metadata API token. Copy it again from Xano." };
  const who = await identify(instance.base, token);
  if (!who.ok) return who;
  // Xano does not tell us a Metadata token's expiry; it shows when a call is refused.
  return {
    ok: true,
    user: who.user,
    credential: { method: "metadata_token", accessToken: token, metaApiBase: instance.base, expiresAt: null },
    proof: await metadataTokenProof(instance.base, token),
  };
}
