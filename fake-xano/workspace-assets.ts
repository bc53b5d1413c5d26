// In-memory state for the workspace assets other than tables (files, API groups and endpoints,
// functions, request history), built from the seed and rebuilt by reset() with the rest of the store.

import type { Seed } from "../fixtures/seed";
import type { SeedApi, SeedApiGroup, SeedFile, SeedFunction, SeedRequest } from "../fixtures/seed-workspace-assets";

export interface ApiGroupState extends SeedApiGroup {
  guid: string;
  updated_at: number;
  /** The XanoScript (`api_group …`) the group was last written with, if any. */
  xanoscript?: string;
}

export interface ApiState extends SeedApi {
  guid: string;
  updated_at: number;
  /** The published XanoScript (`query …`) the endpoint was last written with, if any. */
  xanoscript?: string;
  /** An update sent with `publish=false`: kept apart until a published update replaces it. */
  draft?: { script: string; name: string; verb: SeedApi["verb"] };
}

export interface AssetState {
  files: Map<number, SeedFile>;
  apiGroups: Map<number, ApiGroupState>;
  apis: Map<number, ApiState>;
  functions: SeedFunction[];
  requestHistory: SeedRequest[];
  nextFileId: number;
  nextApiGroupId: number;
  nextApiId: number;
}

const nextId = (ids: number[]) => Math.max(0, ...ids) + 1;

/** `copy` is already a deep copy of the seed (createStore clones it). */
export function createAssetState(copy: Seed): AssetState {
  return {
    files: new Map(copy.files.map((f) => [f.id, f])),
    apiGroups: new Map(copy.apiGroups.map((g) => [g.id, { ...g, guid: `apigroup-guid-${g.id}`, updated_at: g.created_at }])),
    apis: new Map(copy.apis.map((a) => [a.id, { ...a, guid: `api-guid-${a.id}`, updated_at: a.created_at }])),
    functions: copy.functions,
    requestHistory: copy.requestHistory,
    nextFileId: nextId(copy.files.map((f) => f.id)),
    nextApiGroupId: nextId(copy.apiGroups.map((g) => g.id)),
    nextApiId: nextId(copy.apis.map((a) => a.id)),
  };
}
