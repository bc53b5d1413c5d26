/** What every page route answers with: a page, a redirect, and how it reads a posted form. */
import { PAGE_SECURITY_HEADERS } from "./security-headers";

export function page(status: number, body: string, cookies: string[] = []): Response {
  const headers = new Headers(PAGE_SECURITY_HEADERS);
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(body, { status, headers });
}

/** 302 to `location`, carrying the cookies the OAuth library set (consent and upstream bindings). */
export function redirect(location: string, extra: Headers): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  for (const cookie of extra.getSetCookie()) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 302, headers });
}

/** 303 after a form of ours was handled (Connected apps). */
export function seeOther(location: string, cookies: string[]): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** A posted form. Its body is already in memory, at most 64 KiB (front-door/request-body.ts). */
export async function readForm(request: Request): Promise<FormData | null> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}
