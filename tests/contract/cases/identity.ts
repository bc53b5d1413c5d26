// Contract cases: the account API, the instance Meta API's identity and workspace lists, isolation between users
// and instances, and the demo instance's app auth group.
// Plain data over fetch (tests/contract/target.ts); the demo seed's values are in fake-xano/README.md.
import { expect } from "vitest";
import { demoCase } from "../demo";
import type { ContractCase } from "../target";

export const identityCases: ContractCase[] = [
  demoCase("account API", "answers /auth/me and the user's instances as a bare array of instance records", async (d) => {
    const { alice, bob, expectError, ACCOUNT, INSTANCE, SANDBOX, META } = d;
    const me = await alice(`${ACCOUNT}/api:meta/auth/me`);
    expect(me.data).toEqual({ id: 1, name: "Alice Example", email: "alice@example.com", extras: {} });

    const list = await alice(`${ACCOUNT}/api:meta/instance`);
    expect(Array.isArray(list.data)).toBe(true);
    expect(list.data.map((i: any) => i.name)).toEqual(["x1234-5678-9012", "x9999-0000-1111"]);
    expect(list.data[0]).toEqual({
      id: 10, name: "x1234-5678-9012", display: "Demo Instance", xano_domain: new URL(INSTANCE).host, custom_domain: null,
      rate_limit: false, meta_api: META, meta_swagger: `${INSTANCE}/apispec:meta?type=json`,
    });
    expect(list.data[1].meta_api).toBe(`${SANDBOX}/api:meta`);

    const bobs = await bob(`${ACCOUNT}/api:meta/instance`);
    expect(bobs.data.map((i: any) => i.name)).toEqual(["x1234-5678-9012"]);
    expect((await bob(`${ACCOUNT}/api:meta/instance/x1234-5678-9012`)).data.display).toBe("Demo Instance");
    expectError(await bob(`${ACCOUNT}/api:meta/instance/x9999-0000-1111`), 404, "ERROR_CODE_NOT_FOUND");
  }, { readOnly: true, needs: ["account", "otherInstance"] }),
  demoCase("account API", "rejects missing and unknown tokens with 401 and the envelope", async (d) => {
    const { call, expectError, ACCOUNT, META, ALICE_TOKEN } = d;
    expectError(await call(`${ACCOUNT}/api:meta/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await call(`${ACCOUNT}/api:meta/auth/me`, { token: "nope" }), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await call(`${META}/auth/me`, { token: `${ALICE_TOKEN}x` }), 401, "ERROR_CODE_UNAUTHORIZED");
  }, { readOnly: true, needs: ["account"] }),
  demoCase("account API", "answers 404 for unknown routes and unknown methods", async (d) => {
    const { alice, expectError, ACCOUNT, META } = d;
    expectError(await alice(`${ACCOUNT}/api:meta/nothing-here`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/workspace/1/nothing`), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/workspace`, { method: "PATCH" }), 404, "ERROR_CODE_NOT_FOUND");
  }, { readOnly: true, needs: ["account"] }),
  demoCase("instance Meta API: identity, workspaces, isolation", "lists only the caller's own workspaces, as bare arrays", async (d) => {
    const { alice, bob, expectError, META, W1 } = d;
    expect((await alice(`${META}/auth/me`)).data).toMatchObject({ id: 1, email: "alice@example.com" });
    expect((await alice(`${META}/workspace`)).data).toEqual([{ id: 1, name: "Alice Workspace", description: "Alice's shop", branch: "v1" }]);
    expect((await bob(`${META}/workspace`)).data).toEqual([{ id: 2, name: "Bob Workspace", description: "Bob's tasks", branch: "v1" }]);
    expect((await alice(`${W1}`)).data.name).toBe("Alice Workspace");
    expect((await alice(`${W1}/branch`)).data).toEqual([{ label: "v1", backup: false, live: true, created_at: "2026-01-01 00:00:00+0000" }]);
    expect((await alice(`${W1}/datasource`)).data).toEqual([{ label: "live", color: expect.any(String) }]);
    expectError(await alice(`${W1}/table?branch=v2`), 404, "ERROR_CODE_NOT_FOUND");
    expect((await alice(`${W1}/table?branch=v1`)).status).toBe(200);
  }, { readOnly: true }),
  demoCase("instance Meta API: identity, workspaces, isolation", "never lets bob see alice's workspace, tables or records (404, not 403)", async (d) => {
    const { alice, bob, expectError, META, W1, CUSTOMERS } = d;
    for (const url of [W1, `${W1}/table`, CUSTOMERS, `${CUSTOMERS}/schema`, `${CUSTOMERS}/content`, `${CUSTOMERS}/content/1`]) {
      expectError(await bob(url), 404, "ERROR_CODE_NOT_FOUND");
    }
    expectError(await bob(`${CUSTOMERS}/content`, { json: { name: "x", email: "x@example.com" } }), 404, "ERROR_CODE_NOT_FOUND");
    expectError(await alice(`${META}/workspace/2/table/201`), 404, "ERROR_CODE_NOT_FOUND");
    // A table id from another workspace is not reachable through one's own workspace either.
    expectError(await alice(`${W1}/table/201`), 404, "ERROR_CODE_NOT_FOUND");
  }, { readOnly: true }),
  demoCase("instance Meta API: identity, workspaces, isolation", "accepts a Metadata token only on its own instance", async (d) => {
    const { alice, call, expectError, SANDBOX, META, ALICE_SANDBOX_TOKEN } = d;
    expectError(await call(`${META}/workspace`, { token: ALICE_SANDBOX_TOKEN }), 401, "ERROR_CODE_UNAUTHORIZED");
    const sandbox = await call(`${SANDBOX}/api:meta/workspace`, { token: ALICE_SANDBOX_TOKEN });
    expect(sandbox.data).toEqual([{ id: 3, name: "Alice Sandbox Workspace", description: "", branch: "v1" }]);
    expectError(await alice(`${SANDBOX}/api:meta/workspace`), 401, "ERROR_CODE_UNAUTHORIZED");
  }, { readOnly: true, needs: ["otherInstance"] }),
  demoCase("app auth group", "logs in and returns the user row carrying the Metadata token as api_key", async (d) => {
    const { alice, call, expectError, INSTANCE, META, ALICE_TOKEN } = d;
    const AUTH = `${INSTANCE}/api:auth`;
    const login = await call(`${AUTH}/auth/login`, { json: { email: "alice@example.com", password: "alice-password" } });
    expect(login.data).toEqual({ authToken: expect.any(String) });
    const me = await call(`${AUTH}/auth/me`, { token: login.data.authToken });
    expect(me.data).toEqual({ id: 1, name: "Alice Example", email: "alice@example.com", api_key: ALICE_TOKEN, created_at: expect.any(Number) });
    expect((await call(`${META}/workspace`, { token: me.data.api_key })).data[0].id).toBe(1);
    // An authToken is not a Meta API credential.
    expectError(await call(`${META}/workspace`, { token: login.data.authToken }), 401, "ERROR_CODE_UNAUTHORIZED");

  }, { readOnly: true }),
  demoCase("app auth group", "rejects bad credentials and missing fields with the envelope", async (d) => {
    const { alice, call, expectError, INSTANCE, SANDBOX } = d;
    const AUTH = `${INSTANCE}/api:auth`;
    expectError(await call(`${AUTH}/auth/login`, { json: { email: "alice@example.com", password: "wrong" } }), 403, "ERROR_CODE_ACCESS_DENIED");
    expectError(await call(`${AUTH}/auth/login`, { json: { email: "nobody@example.com", password: "x" } }), 403, "ERROR_CODE_ACCESS_DENIED");
    expect((await call(`${AUTH}/auth/login`, { json: { password: "x" } })).data.payload).toEqual({ param: "email" });
    expectError(await call(`${AUTH}/auth/me`), 401, "ERROR_CODE_UNAUTHORIZED");
    expectError(await call(`${SANDBOX}/api:auth/auth/login`, { json: { email: "alice@example.com", password: "alice-password" } }), 404, "ERROR_CODE_NOT_FOUND");
  }, { readOnly: true, needs: ["otherInstance"] }),
];
