// What a route handler gets: the fake's core (state, clock, origins), the parsed request, and the
// authenticated principal when the route asked for one.

import type { SeedInstance } from "../fixtures/seed";
import { inputError } from "./errors";
import type { Store, TokenRecord } from "./store";

export interface FakeCore {
  /** Replaced wholesale by reset(), so always read it through the core. */
  store: Store;
  now(): number;
  accountOrigin: string;
  /** instance name → origin (no trailing slash). */
  instanceOrigins: Record<string, string>;
}

export interface Principal {
  userId: number;
  token: TokenRecord;
}

export interface RequestContext {
  core: FakeCore;
  request: Request;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Set on instance-origin routes. */
  instance?: SeedInstance;
  principal?: Principal;
  /** The JSON object body ({} when empty). Invalid JSON or a non-object → 400. */
  body(): Promise<Record<string, unknown>>;
  /** The form-encoded body (OAuth endpoints). */
  form(): Promise<URLSearchParams>;
  /** The body as text (a `text/x-xanoscript` body). */
  text(): Promise<string>;
}

export function createContext(
  core: FakeCore, request: Request, params: Record<string, string>, instance: SeedInstance | undefined,
): RequestContext {
  const url = new URL(request.url);
  let text: Promise<string> | undefined;
  // Decoded by hand: workerd warns when .text() reads a form-encoded body.
  const read = () => (text ??= request.arrayBuffer().then((bytes) => new TextDecoder().decode(bytes)));
  return {
    core, request, url, params, query: url.searchParams, instance,
    async body() {
      const raw = await read();
      if (raw.trim() === "") return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw inputError("Request body is not valid JSON.");
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw inputError("Request body must be a JSON object.");
      }
      return parsed as Record<string, unknown>;
    },
    async form() {
      return new URLSearchParams(await read());
    },
    text: read,
  };
}

export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.principal) throw new Error("route declared no auth but used the principal");
  return ctx.principal;
}
