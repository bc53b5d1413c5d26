/**
 * Activity retention: the scheduled clean-up (src/index.ts, cron in wrangler.toml) deletes every
 * row older than ACTIVITY_RETENTION_DAYS (src/config.ts). The (at) index makes this one range delete.
 */
import { log } from "../observability/log";
import { deleteActivityBefore } from "./activity-store";
import type { ActivityEnv } from "./record";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function purgeOldActivity(env: ActivityEnv, retentionDays: number, now = Date.now()): Promise<number> {
  const started = performance.now();
  const purged = await deleteActivityBefore(env.ACTIVITY_DB, now - retentionDays * DAY_MS);
  log("purge", { kind: "activity", activityPurged: purged, durationMs: performance.now() - started });
  return purged;
}
