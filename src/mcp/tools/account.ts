/** Account and instances: who the person is, and which Xano instances they can reach. */
import { z } from "zod";
import type { InstanceRecord } from "../../xano/types";
import { XanoApiError } from "../../xano/errors";
import { ToolRefusal, defineTool } from "./registry";

export const whoami = defineTool({
  name: "whoami",
  title: "Who am I",
  area: "Account and instances",
  description:
    "Shows the Xano user this connection acts as (id, name, email), the instance it is signed in to and the sign-in method. Never returns a token.",
  input: z.object({}),
  kind: "read",
  operations: ["auth.me.get"],
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
  kind: "read",
  operations: [],
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

export const getInstanceDetails = defineTool({
  name: "xano_get_instance_details",
  title: "Get Xano instance details",
  area: "Account and instances",
  description:
    "Returns one Xano instance as Xano's account API reports it (name, display name, Xano domain, custom domain, rate limiting, Meta API URL). " +
    "Without `instance_name` it is the instance this connection is signed in to. Names come from xano_list_instances.",
  input: z.object({
    instance_name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "must be an instance name such as x1234-5678-9012")
      .optional()
      .describe('The instance name as xano_list_instances shows it, e.g. "x1234-5678-9012". Leave out for the signed-in instance.'),
  }),
  kind: "read",
  operations: [],
  describe: (args) => (args.instance_name ? `read Xano instance ${args.instance_name}` : "read the signed-in Xano instance"),
  async run(args, { account, credential }) {
    if (args.instance_name) {
      const instance = await account.getInstance(args.instance_name);
      return { message: `Instance ${instance.display ?? instance.name}.`, data: { ...instance, source: "account_api" } };
    }
    const here = new URL(credential.metaApiBase);
    let instances;
    try {
      instances = await account.listInstances();
    } catch (error) {
      // As in xano_list_instances: an instance's Metadata token may not open the account API; then
      // report what the sign-in itself established about the instance, and nothing more.
      const refused = error instanceof XanoApiError && (error.status === 401 || error.status === 403);
      if (!refused || credential.method === "xano_oauth") throw error;
      return {
        message: "Xano's account API does not accept this instance's Metadata API token; showing what the sign-in established about the instance.",
        data: { name: here.host, xano_domain: here.host, meta_api: credential.metaApiBase, source: "sign-in" },
      };
    }
    const instance = instances.find((i) => sameInstance(i, here));
    if (!instance) {
      throw new ToolRefusal("NOT_FOUND", `None of your instances serves ${here.host}. Call xano_list_instances and pass an instance_name.`);
    }
    return { message: `Instance ${instance.display ?? instance.name} (the one this connection is signed in to).`, data: { ...instance, source: "account_api" } };
  },
});

function sameInstance(instance: InstanceRecord, metaApi: URL): boolean {
  const hosts = [instance.xano_domain, instance.custom_domain].filter((h): h is string => typeof h === "string" && h !== "");
  if (hosts.some((h) => h.toLowerCase() === metaApi.host.toLowerCase())) return true;
  try {
    return new URL(instance.meta_api).origin === metaApi.origin;
  } catch {
    return false;
  }
}
