/** Account and instances: who the person is, and which Xano instances they can reach. */
import { z } from "zod";
import { XanoApiError } from "../../xano/errors";
import { READ_ONLY, defineTool } from "./registry";

export const whoami = defineTool({
  name: "whoami",
  title: "Who am I",
  area: "Account and instances",
  description:
    "Shows the Xano user this connection acts as (id, name, email), the instance it is signed in to and the sign-in method. Never returns a token.",
  input: z.object({}),
  annotations: READ_ONLY,
  describe: () => "read the signed-in Xano user",
  async run(_args, { credential, meta }) {
    const me = await meta.me();
    return {
      message: `Signed in to Xano as ${me.name ?? me.email ?? me.id}.`,
      data: {
        user: { id: me.id, name: me.name ?? null, email: me.email ?? null },
        instance: { metaApi: credential.metaApiBase, host: new URL(credential.metaApiBase).host },
        signInMethod: credential.method,
      },
    };
  },
});

export const listInstances = defineTool({
  name: "xano_list_instances",
  title: "List Xano instances",
  area: "Account and instances",
  description:
    "Lists the Xano instances this connection can use, with each instance's name, display name, domains and Meta API URL. " +
    "With a Metadata API token (which belongs to one instance) Xano's account API may refuse the token; then the result is the instance the token was issued for, marked source: \"sign-in\".",
  input: z.object({}),
  annotations: READ_ONLY,
  describe: () => "list your Xano instances",
  async run(_args, { account, credential }) {
    try {
      const instances = await account.listInstances();
      return { message: `Found ${instances.length} instance(s).`, data: { items: instances, source: "account_api" } };
    } catch (error) {
      const refused = error instanceof XanoApiError && (error.status === 401 || error.status === 403);
      if (!refused || credential.method === "xano_oauth") throw error;
      const host = new URL(credential.metaApiBase).host;
      return {
        message: "Xano's account API does not accept this instance's Metadata API token; showing the instance the token belongs to.",
        data: { items: [{ name: host, xano_domain: host, meta_api: credential.metaApiBase }], source: "sign-in" },
      };
    }
  },
});
