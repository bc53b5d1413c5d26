/** Help for writing XanoScript: our own short reference, per object kind. */
import { z } from "zod";
import { defineTool } from "./registry";
import { XANOSCRIPT_KINDS, XANOSCRIPT_REFERENCE } from "../xanoscript-reference";

export const getXanoScriptReference = defineTool({
  name: "xano_get_xanoscript_reference",
  title: "XanoScript reference",
  area: "XanoScript",
  toolset: "logic",
  common: true,
  description:
    "A short reference for writing XanoScript (the language of functions, endpoints, tasks, triggers, agents, …): the basics and one example per object kind. " +
    "Read it before creating or changing logic; give kind for one object kind.",
  input: z.object({
    kind: z.enum(XANOSCRIPT_KINDS).optional().describe(`One part: ${XANOSCRIPT_KINDS.join(", ")} (default: basics plus every kind).`),
  }),
  kind: "read",
  operations: [],
  describe: (args) => `read the XanoScript reference${args.kind ? ` for ${args.kind}` : ""}`,
  async run(args) {
    const parts = args.kind ? [args.kind] : XANOSCRIPT_KINDS;
    return { message: `XanoScript reference (${parts.join(", ")}); the text is in data.text.`, data: { text: parts.map((k) => XANOSCRIPT_REFERENCE[k]).join("\n\n") } };
  },
});
