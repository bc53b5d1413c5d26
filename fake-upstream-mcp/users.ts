/**
 * The demo people of the fake upstream MCP server, each with the bearer token they paste at
 * sign-in (auth "bearer"). Deterministic: the same tokens in tests, `npm run dev` and the README.
 */
export interface DemoUser {
  id: string;
  name: string;
}

export const ALICE_UPSTREAM_TOKEN = "upstream_demo_alice_token";
export const BOB_UPSTREAM_TOKEN = "upstream_demo_bob_token";

export const DEMO_USERS: Record<string, DemoUser> = {
  [ALICE_UPSTREAM_TOKEN]: { id: "alice", name: "Alice Example" },
  [BOB_UPSTREAM_TOKEN]: { id: "bob", name: "Bob Example" },
};

/** Who a bearer token is, or null (the default token check: the demo tokens above). */
export type Authorize = (token: string) => DemoUser | null | Promise<DemoUser | null>;

export const demoTokens: Authorize = (token) => DEMO_USERS[token] ?? null;
