/**
 * Property test over the whole catalogue: every tool, fed random arguments through the official
 * MCP client into the real Worker (fake-xano behind it), answers with one of the documented
 * envelopes — never a transport error, never an HTTP 500, never an INTERNAL_ERROR (our bug).
 *
 * Arguments come from two generators per tool:
 *  - schema-guided: built from the tool's advertised JSON Schema (what an assistant reads), biased
 *    towards the seed's real ids so calls reach Xano and exercise success, 404 and Xano's 400s;
 *  - hostile: random JSON objects and valid arguments with one field replaced by junk.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { fc } from "@fast-check/vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ALICE_METADATA_TOKEN, CUSTOMERS_TABLE_ID, ORDERS_TABLE_ID, TASKS_TABLE_ID } from "../fixtures/seed";
import { SHARED_INSTANCE_URL, useFakeXano } from "./harness/fake-xano-network";
import { connectWithOAuth } from "./harness/mcp-client";
import { ERROR_CODES } from "../src/mcp/envelope";
import { DEBUG_TOOLS, FIRST_TOOLS } from "../src/mcp/tools";

const fake = useFakeXano();
const RUNS_PER_TOOL = 12;
/**
 * Tools declared from the operation table share one input builder and one request builder, so a
 * few runs each find a crash; the hand-written tools get the full count.
 */
const RUNS_PER_TABLE_TOOL = 3;
const HAND_WRITTEN = new Set([...FIRST_TOOLS, ...DEBUG_TOOLS].map((t) => t.name));
/** Tools whose random use would end the session under test rather than exercise a handler. */
const SKIPPED = new Set(["debug_expire_oauth_tokens"]);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
};

const REAL_IDS = [1, 2, 3, CUSTOMERS_TABLE_ID, ORDERS_TABLE_ID, TASKS_TABLE_ID];

/** An arbitrary that mostly produces values the schema accepts (and sometimes ones it doesn't). */
function fromSchema(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const entries = Object.entries(schema.properties ?? {});
      if (entries.length === 0 || depth > 2) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const shape = Object.fromEntries(entries.map(([key, s]) => [key, fromSchema(s, depth + 1)]));
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((k) => k in shape) });
    }
    case "integer":
    case "number": {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -5);
      const max = schema.maximum ?? 100_000;
      const inRange = REAL_IDS.filter((id) => id >= min && id <= max);
      return fc.oneof(
        ...(inRange.length ? [fc.constantFrom(...inRange)] : []),
        fc.integer({ min: Math.max(min, -1_000_000), max: Math.min(max, 1_000_000) }),
      );
    }
    case "string": {
      if (schema.pattern && /\\d|\[0-9\]/.test(schema.pattern)) {
        return fc.oneof(fc.constantFrom(...REAL_IDS.map(String)), fc.integer({ min: 1, max: 99_999 }).map(String));
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 24, 24) });
    }
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(schema.items ? fromSchema(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function argumentsFor(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const valid = fromSchema({ ...schema, type: "object" }) as fc.Arbitrary<Record<string, unknown>>;
  const junk = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
  const keys = Object.keys(schema.properties ?? {});
  const oneFieldBroken = keys.length
    ? fc.tuple(valid, fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 1 })).map(([args, key, value]) => ({ ...args, [key]: value }))
    : junk;
  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: junk, weight: 1 }, { arbitrary: oneFieldBroken, weight: 2 });
}

/** The one envelope, as README "Tool results" documents it. */
function checkEnvelope(name: string, result: Record<string, unknown>): string | null {
  const envelope = result.structuredContent as Record<string, any> | undefined;
  const text = (result.content as Array<{ type: string; text: string }> | undefined)?.[0]?.text;
  if (!envelope || typeof text !== "string" || text.length === 0) return "no structuredContent or no text";
  if (envelope.operation !== name) return `operation is ${envelope.operation}`;
  if (envelope.success === true) {
    if (result.isError) return "success with isError";
    if (typeof envelope.message !== "string" || !("data" in envelope)) return "success without message/data";
    return null;
  }
  if (envelope.success !== false || result.isError !== true) return "failure without success:false and isError:true";
  const error = envelope.error as { code?: string; message?: string; details?: unknown } | undefined;
  if (!error || typeof error.message !== "string" || error.message.length === 0) return "failure without an error message";
  if (!ERROR_CODES.includes(error.code as (typeof ERROR_CODES)[number])) return `undocumented error code ${error.code}`;
  if (error.code === "INTERNAL_ERROR") return `INTERNAL_ERROR: ${error.message}`;
  if (error.details !== undefined && (typeof error.details !== "object" || error.details === null)) return "details is not an object";
  return null;
}

describe("every tool, random arguments", () => {
  let client: Client;
  let tools: Array<{ name: string; inputSchema: JsonSchema }>;

  beforeAll(async () => {
    ({ client } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN }));
    tools = (await client.listTools()).tools as typeof tools;
  });
  afterAll(() => client?.close());

  async function fuzz(selected: typeof tools, runs: number, caller: Client = client) {
    const failures: string[] = [];
    let reachedXano = 0;
    for (const tool of selected.filter((t) => !SKIPPED.has(t.name))) {
      await fc.assert(
        fc.asyncProperty(argumentsFor(tool.inputSchema), async (args) => {
          fake.reset();
          const before = fake.log.entries.length;
          // A transport failure or HTTP 500 rejects here and fails the property.
          const result = (await caller.callTool({ name: tool.name, arguments: args })) as Record<string, unknown>;
          if (fake.log.entries.length > before) reachedXano++;
          const problem = checkEnvelope(tool.name, result);
          if (problem) failures.push(`${tool.name}(${JSON.stringify(args)}): ${problem}`);
          return problem === null;
        }),
        { numRuns: runs, seed: 20261123, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
    return reachedXano;
  }

  it("every tool declared from the operation table answers one documented envelope for every input", async () => {
    const fromTable = tools.filter((t) => !HAND_WRITTEN.has(t.name));
    expect(fromTable.length).toBeGreaterThan(100);
    // A grant of its own: the two tests together make more calls than one grant's per-minute limit.
    const { client: own } = await connectWithOAuth({ instanceUrl: SHARED_INSTANCE_URL, token: ALICE_METADATA_TOKEN });
    // Most random arguments are refused by the tools' precise schemas before Xano; some must get through.
    expect(await fuzz(fromTable, RUNS_PER_TABLE_TOOL, own)).toBeGreaterThan(0);
    await own.close();
  }, 360_000);

  it("every hand-written tool answers one documented envelope for every input, and never fails the transport", async () => {
    const handWritten = tools.filter((t) => HAND_WRITTEN.has(t.name));
    expect(handWritten.length).toBeGreaterThan(4);
    // The generator really exercises handlers, not only argument validation.
    expect(await fuzz(handWritten, RUNS_PER_TOOL)).toBeGreaterThan(handWritten.length);
  }, 360_000);

});
