// The admin route on the account origin, so the knobs can be driven over HTTP when the fake runs
// as a separate dev server:  POST {account}/__admin/{knob} with a JSON body, GET {account}/__admin/log.
// Admin calls are not logged, never delayed, and no knob applies to them.

import { errorResponse } from "./errors";
import type { KnobState } from "./knobs";
import type { RequestLog } from "./log";

export async function handleAdmin(request: Request, pathname: string, knobs: KnobState, log: RequestLog): Promise<Response> {
  const knob = pathname.slice("/__admin/".length);
  if (request.method === "GET" && knob === "log") return Response.json(log);
  if (request.method !== "POST") return errorResponse(404, "ERROR_CODE_NOT_FOUND", "Unknown admin route.");
  let body: Record<string, any>;
  try {
    const text = await request.text();
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    return errorResponse(400, "ERROR_CODE_INPUT_ERROR", "Admin body must be JSON.");
  }
  try {
    switch (knob) {
      case "expireToken": return Response.json({ ok: knobs.expireToken(String(body.token)) });
      case "revokeToken": return Response.json({ ok: knobs.revokeToken(String(body.token)) });
      case "expireUserTokens": return Response.json({ count: knobs.expireUserTokens({ userId: Number(body.userId), kind: body.kind as never }) });
      case "revokeUserTokens": return Response.json({ count: knobs.revokeUserTokens({ userId: Number(body.userId), kind: body.kind as never }) });
      case "failNext": knobs.failNext(body as never); break;
      case "setLatency": knobs.setLatency(Number(body.ms ?? 0)); break;
      case "rateLimit": knobs.rateLimit(body as never); break;
      case "reset": knobs.reset(); break;
      case "clearLog": log.clear(); break;
      default: return errorResponse(404, "ERROR_CODE_NOT_FOUND", `Unknown knob "${knob}".`);
    }
  } catch (err) {
    return errorResponse(400, "ERROR_CODE_INPUT_ERROR", (err as Error).message);
  }
  return Response.json({ ok: true });
}
