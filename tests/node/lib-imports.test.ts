// src/lib holds the primitives every feature may use (secrets, cookies, html, bodies, the upstream
// URL rule, the sliding window, Retry-After, the bearer header). It stays a leaf: a file there may
// import another file of src/lib, the runtime (`node:`, `cloudflare:`), and nothing else, so no
// feature can grow into a dependency of the others through it. Reads the files; starts no server.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const lib = resolve(__dirname, "../../src/lib");

/** Every module specifier a TypeScript file names: static imports and re-exports, bare and dynamic imports. */
function specifiers(source: string): string[] {
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']/g, /^\s*import\s*["']([^"']+)["']/gm];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

function isAllowed(specifier: string): boolean {
  return /^\.\/[^/]+$/.test(specifier) || specifier.startsWith("node:") || specifier.startsWith("cloudflare:");
}

describe("src/lib imports no feature", () => {
  it("reads every import form, so a feature import cannot slip through", () => {
    const sample = [
      'import { a } from "./secrets";',
      "import type {\n  B,\n} from '../xano/client';",
      'export { c } from "../front-door/html";',
      'import "hono";',
      'const d = await import("../config");',
    ].join("\n");
    expect(specifiers(sample)).toEqual(["./secrets", "../xano/client", "../front-door/html", "../config", "hono"]);
    expect(specifiers(sample).filter((s) => !isAllowed(s))).toEqual(["../xano/client", "../front-door/html", "../config", "hono"]);
  });

  const files = readdirSync(lib).filter((name) => name.endsWith(".ts"));

  it("finds the primitives", () => {
    expect(files).toEqual(expect.arrayContaining(["secrets.ts", "cookies.ts", "html.ts", "upstream-url.ts", "sliding-window.ts", "bounded-body.ts", "retry-after.ts", "bearer.ts"]));
  });

  it.each(files)("src/lib/%s imports only src/lib and the runtime", (name) => {
    const outside = specifiers(readFileSync(resolve(lib, name), "utf8")).filter((s) => !isAllowed(s));
    expect(outside).toEqual([]);
  });
});
