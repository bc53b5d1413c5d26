/**
 * The Worker's own configuration rules (src/config.ts), loaded through tsx, so the setup wizard and
 * the deploy pre-check accept and refuse exactly what the Worker does at start-up: one definition,
 * no copy to drift.
 */
import { tsImport } from "tsx/esm/api";

const config = await tsImport("../../src/config.ts", import.meta.url);
const upstream = await tsImport("../../src/lib/upstream-url.ts", import.meta.url);

/** The sign-in methods the Worker knows, in its order. */
export const SIGN_IN_METHODS = [...config.SIGN_IN_METHODS];
export const DEFAULTS = config.DEFAULTS;

/** @returns {{ ok: true, config: object } | { ok: false, problems: string[] }} */
export function checkVars(vars) {
  return config.loadConfig(vars);
}

/** The problems among `problems` that name `variable`. */
export function problemsAbout(problems, variable) {
  return problems.filter((p) => p.startsWith(`${variable} `)).map(withoutHowToSet);
}

/** The Worker's messages end with where to set a variable; the wizard sets it itself. */
export function withoutHowToSet(problem) {
  return problem.replace(/\s*Set it in wrangler\.toml \[vars\].*$/, "");
}

export function isLoopbackUrl(value) {
  try {
    return upstream.isLoopbackHost(new URL(value).hostname);
  } catch {
    return false;
  }
}
