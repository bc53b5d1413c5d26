// The fake's in-memory state, built from a deep copy of the seed so `reset()` can rebuild it.
// Tokens of every kind live in one registry so that expire/revoke knobs and the log treat them alike.

import type { Field, Row, Seed, SeedBranch, SeedInstance, SeedOAuthClient, SeedUser, SeedWorkspace } from "../fixtures/seed";
import { SEED_EPOCH_MS } from "../fixtures/seed";
import { createAssetState, type AssetState } from "./workspace-assets";

export type TokenKind = "metadata" | "oauth_access" | "oauth_refresh" | "app_auth";

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  userId: number;
  /** Metadata and app tokens belong to one instance. */
  instance?: string;
  /** OAuth access tokens: the instance origin in the JWT `aud`. */
  aud?: string;
  /** OAuth scopes; null = full access (hand-made metadata tokens in the seed have every CRUD scope). */
  scopes: string[] | null;
  /** Epoch ms; null = never expires. */
  expiresAt: number | null;
  revoked: boolean;
  /** OAuth: the grant this token belongs to (revoking a refresh token also revokes its access tokens). */
  grantId?: string;
  clientId?: string;
  /** Refresh tokens are single use: rotation spends the old one. */
  spent?: boolean;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: number;
  instance: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
  grantId: string;
}

export type IndexType = "btree" | "unique" | "search" | "spatial" | "vector";

/** One table index as `GET …/table/{t}/index` answers it; `id` is a hex string. */
export interface IndexState {
  id: string;
  type: IndexType;
  /** `op` for btree, unique, spatial and vector indexes; `priority` for search indexes. */
  fields: Array<{ name: string; op?: string; priority?: number }>;
  /** Search indexes only. */
  name?: string;
  lang?: string;
  created_at: number;
}

export interface TableState {
  id: number;
  workspaceId: number;
  name: string;
  description: string;
  docs: string;
  auth: boolean;
  tag: string[];
  guid: string;
  created_at: number;
  updated_at: number;
  schema: Field[];
  rows: Map<number, Row>;
  nextRowId: number;
  indexes: IndexState[];
  /**
   * The XanoScript the table was last written with, and the script generated from the table at that
   * moment: answered verbatim while the table still generates the same script (no change since).
   */
  script?: { text: string; generated: string };
}

export interface Store {
  users: SeedUser[];
  instances: SeedInstance[];
  workspaces: SeedWorkspace[];
  /** workspace id → its branches (the live one included). */
  branches: Map<number, SeedBranch[]>;
  tables: Map<number, TableState>;
  nextTableId: number;
  tokens: Map<string, TokenRecord>;
  clients: Map<string, SeedOAuthClient>;
  codes: Map<string, AuthorizationCode>;
  /** Files, API groups and endpoints, functions, request history (workspace-assets.ts). */
  assets: AssetState;
}

export function createStore(seed: Seed): Store {
  const copy: Seed = structuredClone(seed);
  const tables = new Map<number, TableState>();
  for (const t of copy.tables) {
    tables.set(t.id, {
      id: t.id, workspaceId: t.workspaceId, name: t.name, description: t.description, docs: "", auth: t.auth, tag: t.tag,
      guid: `guid-${t.id}`, created_at: t.created_at, updated_at: t.created_at, schema: t.schema,
      rows: new Map(t.rows.map((r) => [r.id, r])),
      nextRowId: Math.max(0, ...t.rows.map((r) => r.id)) + 1,
      indexes: [],
    });
  }
  const tokens = new Map<string, TokenRecord>();
  for (const m of copy.metadataTokens) {
    tokens.set(m.token, { token: m.token, kind: "metadata", userId: m.userId, instance: m.instance, scopes: null, expiresAt: m.expiresAt, revoked: false });
  }
  return {
    users: copy.users,
    instances: copy.instances,
    workspaces: copy.workspaces,
    branches: new Map(copy.workspaces.map((w) => [w.id, w.branches ?? [{ label: "v1", backup: false, live: true, created_at: SEED_EPOCH_MS }]])),
    tables,
    nextTableId: Math.max(0, ...copy.tables.map((t) => t.id)) + 1,
    tokens,
    clients: new Map(copy.oauthClients.map((c) => [c.client_id, c])),
    codes: new Map(),
    assets: createAssetState(copy),
  };
}

export function findUser(store: Store, id: number): SeedUser | undefined {
  return store.users.find((u) => u.id === id);
}
