// Contract cases: each of the 14 kinds of XanoScript object (tests/contract/xanoscript-kinds.ts) —
// create from a script and read it back, refuse malformed scripts naming line and column, drafts,
// update and delete, lists, privacy between users, the security GUID. Six cases per kind over the demo seed.
import { expect } from "vitest";
import { demoCase, type Demo } from "../demo";
import type { ContractCase } from "../target";
import { SCRIPTS, XANOSCRIPT_KINDS, type XanoScriptKind } from "../xanoscript-kinds";

function kindCases(kind: XanoScriptKind): ContractCase[] {
  const example = SCRIPTS[kind.kind];
  const area = `XanoScript objects: ${kind.kind}`;
  /** The kind's collection in Alice's workspace, and what it refers to, created first. */
  async function setUp({ W1, xs }: Demo) {
    for (const need of example.needs ?? []) expect((await xs(`${W1}/${need.path}`, need.script)).status).toBe(200);
    return `${W1}/${kind.path}`;
  }
  const cases = [
    demoCase(area, "creates from XanoScript, stores it verbatim and reads it back with include_xanoscript", async (d) => {
      const { alice, xs } = d;
      const url = await setUp(d);
      const script = example.script("first_one");
      const created = await xs(`${url}?include_xanoscript=true`, script);
      expect(created.status).toBe(200);
      expect(created.data).toMatchObject({ id: expect.any(Number), name: "first_one" });
      expect(Object.keys(created.data).filter((k) => k !== "xanoscript" && k !== "security")).toEqual(kind.fields);
      expect(created.data.xanoscript).toEqual({ status: "ok", value: script, message: "" });

      const read = await alice(`${url}/${created.data.id}`);
      expect(read.status).toBe(200);
      expect(read.data.name).toBe("first_one");
      expect(read.data.xanoscript).toBeUndefined();
      const withScript = await alice(`${url}/${created.data.id}?include_xanoscript=true`);
      expect(withScript.data.xanoscript.value).toBe(script);
    }),
    demoCase(area, "refuses a malformed script with a 400 naming the line and column, and a script of another kind", async (d) => {
      const { alice, xs, expectError } = d;
      const url = await setUp(d);
      const broken = example.script("broken").replace(/\n}\n$/, "\n");
      const r = await xs(url, broken);
      expectError(r, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
      expect(r.data.message).toMatch(/line \d+, column \d+/);
      expect(r.data.payload).toEqual({ param: "xanoscript", line: 1, column: expect.any(Number) });

      const wrongKind = await xs(url, `query nope verb=GET {\n  stack {\n  }\n}\n`);
      expectError(wrongKind, 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");
      expect(wrongKind.data.message).toContain(`expected "${kind.keyword}"`);

      const noName = await xs(url, `${kind.keyword} {\n}\n`);
      expect(noName.data.payload).toEqual({ param: "xanoscript", line: 1, column: kind.keyword.length + 2 });
      expect(noName.data.message).toContain("needs a name");

      const unclosedString = await xs(url, example.script("quoted").replace(/\{\n/, '{\n  description = "oops\n'));
      expect(unclosedString.data.payload).toMatchObject({ line: 2, column: 17 });
      expect((await alice(`${url}?search=quoted`)).data.items).toEqual([]);
    }),
    demoCase(area, "updates, keeps drafts apart from the published version where Xano does, and deletes", async (d) => {
      const { alice, xs, expectError } = d;
      const url = await setUp(d);
      const created = await xs(url, example.script("versioned"));
      const item = `${url}/${created.data.id}`;
      const v2 = example.script("versioned_v2");
      if (kind.drafts) {
        const draft = await xs(`${item}?publish=false&include_xanoscript=true`, v2, "PUT");
        expect(draft.status).toBe(200);
        expect(draft.data.name).toBe("versioned_v2");
        expect((await alice(item)).data.name).toBe("versioned");
        expect((await alice(`${item}?include_draft=true&include_xanoscript=true`)).data.xanoscript.value).toBe(v2);
        expect((await alice(`${url}?include_draft=true&search=versioned`)).data.items.map((i: any) => i.name)).toEqual(["versioned_v2"]);
        expect((await alice(`${url}?search=versioned`)).data.items.map((i: any) => i.name)).toEqual(["versioned"]);
      }
      const published = await xs(item, v2, "PUT");
      expect(published.status).toBe(200);
      expect((await alice(item)).data.name).toBe("versioned_v2");
      expectError(await xs(item, "}", "PUT"), 400, "ERROR_CODE_INPUT_ERROR", "xanoscript");

      const deleted = await alice(item, { method: "DELETE" });
      expect(deleted.status).toBe(200);
      expect(deleted.data).toEqual({});
      expectError(await alice(item), 404, "ERROR_CODE_NOT_FOUND");
    }),
    demoCase(area, "pages, searches and sorts the list (created_at desc by default)", async (d) => {
      const { alice, xs, expectError } = d;
      const url = await setUp(d);
      for (const n of ["alpha", "bravo", "charlie"]) expect((await xs(url, example.script(n))).status).toBe(200);
      const baseline = kind.kind === "function" ? 3 : 0;
      const all = await alice(`${url}?per_page=50`);
      expect(all.data.items).toHaveLength(3 + baseline);
      if (kind.defaultSort === "created_at") expect(all.data.items[0].name).toBe("charlie");
      const page = await alice(`${url}?per_page=2&page=1&sort=name&order=asc&search=a`);
      expect(page.data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null });
      expect(page.data.items.map((i: any) => i.name)).toEqual(
        [...["alpha", "bravo", "charlie"], ...(baseline ? ["calculate_total", "normalise_email", "send_receipt"] : [])].filter((n) => n.includes("a")).sort().slice(0, 2),
      );
      expectError(await alice(`${url}?sort=id`), 400, "ERROR_CODE_INPUT_ERROR", "sort");
      expectError(await alice(`${url}?order=up`), 400, "ERROR_CODE_INPUT_ERROR", "order");
      expectError(await xs(url, example.script("alpha")), 400, "ERROR_CODE_INPUT_ERROR", "name");
    }),
    demoCase(area, "is private to its workspace's owner", async (d) => {
      const { alice, bob, xs, expectError, W2, BOB_TOKEN } = d;
      const url = await setUp(d);
      const created = await xs(url, example.script("private_one"));
      expectError(await bob(`${url}/${created.data.id}`), 404, "ERROR_CODE_NOT_FOUND");
      expectError(await bob(url), 404, "ERROR_CODE_NOT_FOUND");
      expectError(await xs(`${url}/${created.data.id}`, example.script("stolen"), "PUT", BOB_TOKEN), 404, "ERROR_CODE_NOT_FOUND");
      expectError(await bob(`${url}/${created.data.id}`, { method: "DELETE" }), 404, "ERROR_CODE_NOT_FOUND");
      expect((await bob(`${W2}/${kind.path}`)).data.items.every((i: any) => i.name !== "private_one")).toBe(true);
      expect((await alice(`${url}/${created.data.id}`)).status).toBe(200);
    }),
    ...(kind.security ? [
      demoCase(area, "sets the security GUID to one of the workspace's API groups, or clears it", async (d) => {
        const { alice, xs, expectError, W1 } = d;
        const url = await setUp(d);
        const created = await xs(url, example.script("guarded"));
        const groupGuid = (await alice(`${W1}/apigroup/1`)).data.guid;
        const set = await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: { guid: groupGuid, include_xanoscript: true } });
        expect(set.status).toBe(200);
        expect(set.data.security).toEqual({ guid: groupGuid });
        expect(set.data.xanoscript.status).toBe("ok");
        expect((await alice(`${url}/${created.data.id}`)).data.security).toEqual({ guid: groupGuid });
        expectError(await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: { guid: "nope" } }), 400, "ERROR_CODE_INPUT_ERROR", "guid");
        expectError(await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: {} }), 400, "ERROR_CODE_INPUT_ERROR", "guid");
        expect((await alice(`${url}/${created.data.id}/security`, { method: "PUT", json: { guid: "" } })).data.security).toEqual({ guid: "" });
      }),
    ] : []),
  ];
  return cases;
}

export const logicKindCases: ContractCase[] = XANOSCRIPT_KINDS.flatMap(kindCases);
