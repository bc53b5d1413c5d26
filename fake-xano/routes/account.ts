// The account ("master") API at {account}/api:meta: who am I, and which instances can I use.

import type { SeedInstance } from "../../fixtures/seed";
import { principalOf, type FakeCore, type RequestContext } from "../context";
import { notFound } from "../errors";
import type { RouteDef } from "../router";
import { findUser } from "../store";

/** The instance record exactly as xano.md shows it; `meta_api` follows the configured origin. */
export function instanceRecord(core: FakeCore, inst: SeedInstance) {
  const origin = core.instanceOrigins[inst.name];
  return {
    id: inst.id,
    name: inst.name,
    display: inst.display,
    xano_domain: new URL(origin).host,
    custom_domain: null,
    rate_limit: false,
    meta_api: `${origin}/api:meta`,
    meta_swagger: `${origin}/apispec:meta?type=json`,
  };
}

export function userSummary(ctx: RequestContext) {
  const user = findUser(ctx.core.store, principalOf(ctx).userId)!;
  return { id: user.id, name: user.name, email: user.email, extras: {} };
}

function myInstances(ctx: RequestContext): SeedInstance[] {
  const user = findUser(ctx.core.store, principalOf(ctx).userId)!;
  return ctx.core.store.instances.filter((i) => user.instances.includes(i.name) && ctx.core.instanceOrigins[i.name]);
}

export const accountRoutes: RouteDef[] = [
  { surface: "account", method: "GET", path: "/api:meta/auth/me", auth: "account", handle: userSummary },
  {
    surface: "account", method: "GET", path: "/api:meta/instance", auth: "account",
    // A BARE array, not a paging envelope.
    handle: (ctx) => myInstances(ctx).map((i) => instanceRecord(ctx.core, i)),
  },
  {
    surface: "account", method: "GET", path: "/api:meta/instance/{name}", auth: "account",
    handle: (ctx) => {
      const inst = myInstances(ctx).find((i) => i.name === ctx.params.name);
      if (!inst) throw notFound("Instance not found.");
      return instanceRecord(ctx.core, inst);
    },
  },
];
