// Contract cases: files, API groups and endpoints, the function list and request history.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase, type Demo } from "../demo";
import { XANO_TIMESTAMP, type CallOptions } from "../http";
import type { ContractCase } from "../target";

/** Alice's calls, unless the options name another token. */
const aliceUnlessTold = (d: Demo) => (url: string, o: CallOptions = {}) => d.call(url, { token: d.ALICE_TOKEN, ...o });

function fileForm(content: Blob, name: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.set("content", content, name);
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  return form;
}

export const assetCases: ContractCase[] = [
  demoCase("files", "lists with the list envelope, newest first, public files unless access is private, search and sort", async (d) => {
    const { W1, W2, BOB_TOKEN, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const first = await call(`${W1}/file?per_page=5`);
    expect(first.status).toBe(200);
    expect(Object.keys(first.data).sort()).toEqual(["curPage", "items", "nextPage", "prevPage"]);
    expect(first.data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null });
    expect(Object.keys(first.data.items[0]).sort()).toEqual(["access", "created_at", "id", "mime", "name", "path", "size", "type"]);
    // Xano's description: access defaults to public, sort to created_at descending.
    expect(first.data.items.map((f: any) => f.id)).toEqual([11, 10, 8, 7, 5]);
    expect((await call(`${W1}/file?page=2&per_page=5`)).data).toMatchObject({ curPage: 2, nextPage: null, prevPage: 1 });
    expect((await call(`${W1}/file?page=2&per_page=5`)).data.items).toHaveLength(3);

    const priv = await call(`${W1}/file?access=private&per_page=100&sort=created_at&order=asc`);
    expect(priv.data.items.map((f: any) => f.id)).toEqual([3, 6, 9, 12]);
    const images = await call(`${W1}/file?search=IMAGE&sort=size&order=desc`);
    expect(images.data.items.map((f: any) => f.name)).toEqual(["image-8.png", "image-4.png"]);
    expect((await call(`${W1}/file?sort=mime&order=asc&per_page=1`)).data.items[0].mime).toMatch(/^application\//);
    expectError(await call(`${W1}/file?sort=id`), 400, "sort");
    expectError(await call(`${W1}/file?access=secret`), 400, "access");
    expectError(await call(`${W1}/file?sort=colour`), 400, "sort");
    expectError(await call(`${W2}/file`), 404);
    expect((await call(`${W2}/file?access=private`, { token: BOB_TOKEN })).data.items.map((f: any) => f.name)).toEqual(["bob-notes.txt"]);
  }, { readOnly: true }),
  demoCase("files", "uploads multipart content, enforces type and access, and deletes one or many", async (d) => {
    const { W1, W2, BOB_TOKEN, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const png = new Blob([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], { type: "image/png" });
    const up = await call(`${W1}/file`, { form: fileForm(png, "logo.png", { type: "image", access: "private" }) });
    expect(up.status).toBe(200);
    expect(up.data).toEqual({ id: 14, created_at: expect.stringMatching(XANO_TIMESTAMP), name: "logo.png", size: 7, type: "image", mime: "image/png", access: "private", path: "/vault/upload-14/logo.png" });
    const text = await call(`${W1}/file`, { form: fileForm(new Blob(["hello"], { type: "text/plain" }), "hello.txt") });
    expect(text.data).toMatchObject({ type: "attachment", access: "public", size: 5, mime: "text/plain" });

    expectError(await call(`${W1}/file`, { form: fileForm(png, "x.png", { type: "video" }) }), 400, "type");
    expectError(await call(`${W1}/file`, { form: fileForm(png, "x.png", { type: "document" }) }), 400, "type");
    expectError(await call(`${W1}/file`, { form: fileForm(png, "x.png", { access: "secret" }) }), 400, "access");
    const noContent = new FormData();
    noContent.set("type", "image");
    expectError(await call(`${W1}/file`, { form: noContent }), 400, "content");
    expectError(await call(`${W1}/file`, { json: { content: "abc" } }), 400, "content");

    expect((await call(`${W1}/file/14`, { method: "DELETE" })).data).toEqual({});
    expectError(await call(`${W1}/file/14`, { method: "DELETE" }), 404);
    expectError(await call(`${W1}/file/13`, { method: "DELETE" }), 404); // Bob's file
    expect((await call(`${W1}/file/bulk_delete`, { method: "DELETE", json: { ids: [1, 2, 13, 999] } })).data).toEqual({});
    const left = async (access: string) => (await call(`${W1}/file?per_page=100&sort=created_at&order=asc&access=${access}`)).data.items.map((f: any) => f.id);
    expect([...(await left("public")), ...(await left("private"))].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15]);
    expect((await call(`${W2}/file?access=private`, { token: BOB_TOKEN })).data.items).toHaveLength(1);
    expectError(await call(`${W1}/file/bulk_delete`, { method: "DELETE", json: {} }), 400, "ids");
  }),
  demoCase("API groups and endpoints", "lists, creates, reads, updates and deletes API groups", async (d) => {
    const { W1, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const list = await call(`${W1}/apigroup`);
    expect(Object.keys(list.data).sort()).toEqual(["curPage", "items", "nextPage", "prevPage"]);
    expect(list.data.items.map((g: any) => g.name)).toEqual(["admin", "shop"]); // newest first
    expect(Object.keys(list.data.items[0]).sort()).toEqual(["branch", "canonical", "created_at", "description", "docs", "guid", "id", "name", "swagger", "tag", "updated_at"]);
    expect((await call(`${W1}/apigroup?sort=name&order=desc`)).data.items.map((g: any) => g.name)).toEqual(["shop", "admin"]);

    const created = await call(`${W1}/apigroup`, { json: { name: "mobile", description: "App", tag: ["app"], swagger: false } });
    expect(created.data).toMatchObject({ id: 4, name: "mobile", description: "App", tag: ["app"], swagger: false, created_at: expect.stringMatching(XANO_TIMESTAMP) });
    expectError(await call(`${W1}/apigroup`, { json: { name: "SHOP", description: "", swagger: true } }), 400, "name");
    expectError(await call(`${W1}/apigroup`, { json: { description: "no name", swagger: true } }), 400, "name");
    // Xano's description requires description and swagger too.
    expectError(await call(`${W1}/apigroup`, { json: { name: "x", swagger: true } }), 400, "description");
    expectError(await call(`${W1}/apigroup`, { json: { name: "x", description: "" } }), 400, "swagger");
    expectError(await call(`${W1}/apigroup`, { json: { name: "x", description: "", swagger: true, tag: "one" } }), 400, "tag");
    expect((await call(`${W1}/apigroup/4`)).data.name).toBe("mobile");

    // A PUT is the whole group, not a patch.
    expectError(await call(`${W1}/apigroup/4`, { method: "PUT", json: { description: "Mobile app" } }), 400, "name");
    const updated = await call(`${W1}/apigroup/4`, { method: "PUT", json: { name: "mobile", description: "Mobile app", swagger: false } });
    expect(updated.data).toMatchObject({ name: "mobile", description: "Mobile app", swagger: false, tag: ["app"] });
    expectError(await call(`${W1}/apigroup/4`, { method: "PUT", json: { name: "admin", description: "", swagger: false } }), 400, "name");
    expectError(await call(`${W1}/apigroup/3`), 404); // Bob's group
    expect((await call(`${W1}/apigroup/1`, { method: "DELETE" })).data).toEqual({});
    expectError(await call(`${W1}/apigroup/1`), 404);
    expectError(await call(`${W1}/apigroup/1/api/1`), 404);
  }),
  demoCase("API groups and endpoints", "serves a group's OpenAPI document built from its endpoints", async (d) => {
    const { W1, INSTANCE, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const doc = await call(`${W1}/apigroup/1/openapi`);
    expect(doc.data).toMatchObject({ openapi: "3.0.0", info: { title: "shop" }, servers: [{ url: `${INSTANCE}/api:shop1` }] });
    expect(Object.keys(doc.data.paths)).toEqual(["/products", "/products/{product_id}", "/orders"]);
    expect(doc.data.paths["/orders"].post.summary).toBe("Place an order");
    expectError(await call(`${W1}/apigroup/99/openapi`), 404);
    const one = await call(`${W1}/apigroup/1/api/3/openapi`);
    expect(Object.keys(one.data.paths)).toEqual(["/orders"]);
    const all = await call(`${W1}/openapi?branch=v1`);
    expect(Object.keys(all.data.paths)).toHaveLength(5);
    expect(Object.keys(all.data.paths).slice(0, 3)).toEqual(["/api:shop1/products", "/api:shop1/products/{product_id}", "/api:shop1/orders"]);
  }, { readOnly: true }),
  demoCase("API groups and endpoints", "lists, creates, reads, updates and deletes endpoints", async (d) => {
    const { W1, ALICE_TOKEN, expectParam: expectError, fetch } = d;
    const call = aliceUnlessTold(d);
    const list = await call(`${W1}/apigroup/1/api?per_page=2`);
    expect(list.data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null });
    expect(Object.keys(list.data.items[0]).sort()).toEqual(["apigroup_id", "created_at", "description", "docs", "guid", "id", "name", "tag", "updated_at", "verb"]);
    expect((await call(`${W1}/apigroup/1/api?search=product&sort=created_at&order=asc`)).data.items.map((a: any) => a.id)).toEqual([1, 2]);

    const created = await call(`${W1}/apigroup/1/api`, { json: { name: "products", verb: "POST", description: "Add a product" } });
    expect(created.data).toMatchObject({ id: 7, name: "products", verb: "POST", apigroup_id: 1 });
    expectError(await call(`${W1}/apigroup/1/api`, { json: { name: "products", verb: "GET", description: "" } }), 400, "name");
    expectError(await call(`${W1}/apigroup/1/api`, { json: { name: "x", verb: "FETCH", description: "" } }), 400, "verb");
    expectError(await call(`${W1}/apigroup/1/api`, { json: { name: "x", description: "" } }), 400, "verb");
    expectError(await call(`${W1}/apigroup/1/api`, { json: { name: "x", verb: "GET" } }), 400, "description");
    expect((await call(`${W1}/apigroup/1/api/7`)).data.description).toBe("Add a product");

    const put = (json: unknown) => call(`${W1}/apigroup/1/api/7`, { method: "PUT", json });
    expect((await put({ name: "products", verb: "PUT", description: "Add a product" })).data).toMatchObject({ verb: "PUT", name: "products" });
    expectError(await put({ verb: "PUT" }), 400, "name"); // the whole endpoint, not a patch
    expectError(await put({ name: "products", verb: "GET", description: "" }), 400, "name");

    // XanoScript (text/x-xanoscript): the header line names the endpoint and its verb; the script is
    // answered when asked (include_xanoscript, false by default in the description).
    const script = "query coupons verb=GET {\n  stack {\n  }\n  response = []\n}\n";
    const scripted = await fetch(`${W1}/apigroup/1/api?include_xanoscript=true`, { method: "POST", headers: { authorization: `Bearer ${ALICE_TOKEN}`, "content-type": "text/x-xanoscript" }, body: script });
    expect(await scripted.json()).toMatchObject({ name: "coupons", verb: "GET", xanoscript: { status: "ok", value: script } });
    const broken = await fetch(`${W1}/apigroup/1/api`, { method: "POST", headers: { authorization: `Bearer ${ALICE_TOKEN}`, "content-type": "text/x-xanoscript" }, body: "query x verb=GET {" });
    const refused = { status: broken.status, data: (await broken.json()) as any };
    expectError(refused, 400);
    expect(refused.data.payload).toEqual({ param: "xanoscript", line: 1, column: 18 }); // the script check names where it stopped
    expectError(await call(`${W1}/apigroup/2/api/7`), 404); // another group's endpoint
    expect((await call(`${W1}/apigroup/1/api/7`, { method: "DELETE" })).data).toEqual({});
    expectError(await call(`${W1}/apigroup/1/api/7`, { method: "DELETE" }), 404);
  }),
  demoCase("functions and request history", "lists a workspace's functions", async (d) => {
    const { W1, W2, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const list = await call(`${W1}/function?per_page=2`);
    expect(list.data).toMatchObject({ curPage: 1, nextPage: 2, prevPage: null });
    expect(list.data.items.map((f: any) => f.name)).toEqual(["normalise_email", "send_receipt"]); // newest first
    expect((await call(`${W1}/function?sort=name&order=asc&per_page=1`)).data.items.map((f: any) => f.name)).toEqual(["calculate_total"]);
    expect((await call(`${W1}/function?search=email`)).data.items.map((f: any) => f.id)).toEqual([3]);
    expectError(await call(`${W1}/function?per_page=0`), 400, "per_page");
    expectError(await call(`${W2}/function`), 404);
  }, { readOnly: true }),
  demoCase("functions and request history", "browses request history newest first, filtered by API group or endpoint, output only when asked", async (d) => {
    const { W1, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const page = await call(`${W1}/request_history?per_page=10`);
    expect(Object.keys(page.data).sort()).toEqual(["curPage", "items", "nextPage", "prevPage"]);
    expect(page.data.items.map((r: any) => r.id)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    expect(page.data.items[0]).not.toHaveProperty("output");
    expect(page.data.items[0]).toMatchObject({ workspace_id: 1, api_id: expect.any(Number), query_id: expect.any(Number), status: 500 });
    const withOutput = await call(`${W1}/request_history?per_page=1&include_output=true`);
    expect(withOutput.data.items[0].output).toEqual({ code: "ERROR_FATAL" });
    // The API group filter is apigroup_id (Xano's description); 0 means every group.
    expect((await call(`${W1}/request_history?apigroup_id=0&per_page=100`)).data.items).toHaveLength(30);
    const admin = await call(`${W1}/request_history?apigroup_id=2&per_page=100&branch=v1`);
    expect(admin.data.items.every((r: any) => r.api_id === 2)).toBe(true);
    expect(admin.data.items).toHaveLength(12);
    expect((await call(`${W1}/request_history?query_id=3&per_page=100`)).data.items).toHaveLength(6);
    expectError(await call(`${W1}/request_history?per_page=501`), 400, "per_page");
    expectError(await call(`${W1}/request_history?include_output=yes`), 400, "include_output");
    expectError(await call(`${W1}/request_history?apigroup_id=x`), 400, "apigroup_id");
  }, { readOnly: true }),
  demoCase("functions and request history", "searches request history with everything in the body, the conditions under `search` (Xano's description)", async (d) => {
    const { W1, W2, expectParam: expectError } = d;
    const call = aliceUnlessTold(d);
    const failures = await call(`${W1}/request_history/search`, { json: { search: [{ "status|>=": 400 }], sort: { id: "asc" } } });
    expect(failures.data.items.map((r: any) => [r.id, r.status])).toEqual([[7, 404], [10, 500], [14, 404], [20, 500], [21, 404], [28, 404], [30, 500]]);
    expect(failures.data.items[0]).not.toHaveProperty("output");
    const slow = await call(`${W1}/request_history/search`, { json: { per_page: 3, search: { "duration|>": 1.5 }, sort: { duration: "desc" }, include_output: true } });
    expect(slow.data.items.map((r: any) => r.duration)).toEqual([2.05, 2.05, 2.05]);
    expect(slow.data.items[0]).toHaveProperty("output");
    expect(slow.data.nextPage).toBe(2);
    const scoped = await call(`${W1}/request_history/search`, { json: { apigroup_id: 1, query_id: 3, branch: "v1" } });
    expect(scoped.data.items.map((r: any) => r.query_id)).toEqual([3, 3, 3, 3, 3, 3]);
    expectError(await call(`${W1}/request_history/search`, { json: { branch: "v9" } }), 404);
    expectError(await call(`${W1}/request_history/search`, { json: { search: { "colour": 1 } } }), 400, "colour");
    expectError(await call(`${W1}/request_history/search`, { json: { search: { "status|like": 1 } } }), 400, "status|like");
    expectError(await call(`${W2}/request_history/search`, { json: {} }), 404);
  }, { readOnly: true }),
];
