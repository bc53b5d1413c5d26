/** The tool catalogue as clients see it, and the README's tool table kept true to it. */
import { describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN } from "../fixtures/seed";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { connectWithOAuth } from "./harness/mcp-client";
import readme from "../README.md?raw";
import debugGuide from "../DEBUG.md?raw";
import { DEBUG_TOOLS, TOOLS as BASE_TOOLS, toolsFor } from "../src/mcp/tools";
import { ERROR_CODES } from "../src/mcp/envelope";
import { TOOLSETS } from "../src/mcp/tools/toolsets";

const TOOLS = [...BASE_TOOLS, ...DEBUG_TOOLS];
useFakeXano();

/** What a tool's name promises, which its annotations must keep. */
const READS = /^(whoami|debug_auth|xano_(list|get|browse|search|export|find|convert)_.+)$/;
const DESTROYS = /(^|_)(delete|truncate|replace|import|run|cleanup|call)(_|$)/;
/** Overwriting values is a destructive update in MCP's sense (not "only additive"). */
const UPDATES_IN_PLACE = /^xano_(update|bulk_update|rename)_/;

describe("tool catalogue", () => {
  it("names match [A-Za-z0-9_.-]{1,64} and are unique", () => {
    for (const tool of TOOLS) expect(tool.name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    expect(new Set(TOOLS.map((t) => t.name)).size).toBe(TOOLS.length);
  });

  it("every input field has a description, and read tools are marked read-only", () => {
    for (const tool of TOOLS) {
      for (const [field, schema] of Object.entries(tool.input.shape)) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
      // A read tool is one whose name says it reads (READS); its declaration must say so too, and
      // only read tools may (the xano:read scope admits every readOnlyHint tool, src/mcp/tools/scope-policy.ts).
      expect(tool.annotations.readOnlyHint, tool.name).toBe(READS.test(tool.name));
      if (READS.test(tool.name)) expect(tool.annotations.destructiveHint, tool.name).toBe(false);
    }
    expect(TOOLS.filter((tool) => READS.test(tool.name)).length).toBeGreaterThan(0);
  });

  it("as an MCP client lists it: valid names, annotations that match what the tool does, every input field described", async () => {
    const { client } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS.map((t) => t.name).sort());
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(20);
      const hints = tool.annotations ?? {};
      if (READS.test(tool.name)) expect(hints, tool.name).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      else expect(hints.readOnlyHint, tool.name).toBe(false);
      if (DESTROYS.test(tool.name) || UPDATES_IN_PLACE.test(tool.name)) expect(hints.destructiveHint, tool.name).toBe(true);
      for (const [field, schema] of Object.entries((tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>)) {
        expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      }
    }
    await client.close();
  });

  it("debug tools are offered only with DEBUG_TOOLS=true", () => {
    expect(toolsFor({ debugTools: false }).map((t) => t.name)).not.toContain("debug_auth");
    expect(toolsFor({ debugTools: true }).map((t) => t.name)).toEqual(expect.arrayContaining(["debug_auth", "debug_expire_oauth_tokens", "debug_refresh_profile"]));
  });

  it("DEBUG.md explains exactly the error codes a tool can answer", () => {
    const section = debugGuide.split("## Tool calls")[1].split("\n## ")[0];
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });

  it("the README lists exactly the registered tools, grouped by toolset in the toolsets' order, with their titles", () => {
    const section = readme.split("<!-- tools:start")[1].split("<!-- tools:end -->")[0];
    const rows = [...section.matchAll(/^\| ([a-z_]+) \| `([^`]+)` \| ([^|]+?)( \((default|DEBUG_TOOLS=true)\))? \|$/gm)].map((m) => `${m[1]}/${m[2]}/${m[3]}`);
    const expected = TOOLSETS.flatMap((set) => TOOLS.filter((t) => t.toolset === set).map((t) => `${t.toolset}/${t.name}/${t.title}`));
    expect(rows).toEqual(expected);
  });
});
