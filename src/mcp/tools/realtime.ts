/** Realtime: a workspace's settings, its channels and their triggers. */
import { operationTool } from "./operation-tool";
import { scriptObjectTools } from "./script-objects";

const realtime = { toolset: "realtime" as const, area: "Realtime" };

export const REALTIME_TOOLS = [
  operationTool({
    ...realtime, name: "xano_get_realtime_settings", title: "Get realtime settings", kind: "read", operation: "realtime.get", noun: "realtime settings",
    description: "Reads a workspace's realtime settings: whether realtime is on, its hash and channel defaults.",
  }),
  operationTool({
    ...realtime, name: "xano_update_realtime_settings", title: "Update realtime settings", kind: "update", operation: "realtime.update", noun: "realtime settings",
    description: "Changes a workspace's realtime settings (enabled, hash, channels); fields left out keep their values as Xano decides.",
  }),
  ...scriptObjectTools({ ...realtime, base: "realtime.channel", one: "realtime_channel", many: "realtime_channels", noun: "realtime channel", keyword: "realtime_channel", about: "channels clients subscribe to" }),
  ...scriptObjectTools({ ...realtime, base: "realtime.channel.trigger", one: "realtime_trigger", many: "realtime_triggers", noun: "realtime trigger", keyword: "realtime_trigger", about: "logic run on a channel's events" }),
];
