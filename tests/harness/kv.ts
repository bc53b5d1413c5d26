/** What the Worker keeps in OAUTH_KV, read directly: for tests that check nothing was stored. */
import { env } from "cloudflare:test";

/** Every key in OAUTH_KV, sorted. */
export async function kvKeys(): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.OAUTH_KV.list({ cursor });
    names.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names.sort();
}

/** Every record in OAUTH_KV (grants, tokens, sign-in sessions, consent transactions): key → value, sorted by key. */
export async function kvRecords(): Promise<Record<string, string | null>> {
  const records: Record<string, string | null> = {};
  for (const name of await kvKeys()) records[name] = await env.OAUTH_KV.get(name);
  return records;
}
