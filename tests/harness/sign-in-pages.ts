/**
 * Driving our sign-in pages by hand, for tests where a sign-in is expected to be refused (so
 * authorizeInBrowser, which expects a consent page, cannot be used): the token and password forms,
 * the trip through fake Xano's page, and the refusal page every sign-in door answers with.
 */
import { expect } from "vitest";
import type { SignInAs } from "../../scripts/lib/oauth-http-client";
import { ORIGIN, TestBrowser, fieldNameForLabel, parseForms } from "./browser";

/** Submits the sign-in form of `page` (on /authorize or /apps) for a token or password sign-in. */
export async function submitSignIn(browser: TestBrowser, page: string, signIn: SignInAs): Promise<Response> {
  const forms = parseForms(page);
  if ("token" in signIn) {
    const form = forms.find((f) => f.fields.method === "metadata_token")!;
    return browser.submit(form, { [fieldNameForLabel(page, "Instance URL")]: signIn.instanceUrl, [fieldNameForLabel(page, "Metadata API token")]: signIn.token });
  }
  if (signIn.method !== "app_auth") throw new Error("use throughXano");
  const form = forms.find((f) => f.fields.method === "app_auth")!;
  return browser.submit(form, { [fieldNameForLabel(page, "Email")]: signIn.email, [fieldNameForLabel(page, "Password")]: signIn.password });
}

/** From a page with the "Sign in with Xano" button (or a consent page reached through it) through Xano's page back to our callback. */
export async function throughXano(browser: TestBrowser, toXano: Response, who: { email: string; password: string; instance?: string }): Promise<Response> {
  expect([302, 303], await toXano.clone().text()).toContain(toXano.status);
  const xanoUrl = new URL(toXano.headers.get("Location")!);
  expect(xanoUrl.origin).not.toBe(ORIGIN);
  const xanoPage = await (await browser.fetch(xanoUrl.toString())).text();
  const [xanoForm] = parseForms(xanoPage, xanoUrl.origin);
  const back = await browser.submit(xanoForm, { email: who.email, password: who.password, ...(who.instance ? { instance: who.instance } : {}) }, { name: "decision", value: "approve" });
  expect(back.status).toBe(302);
  return browser.fetch(back.headers.get("Location")!);
}

/** The refusal page (front-door/sign-in-refused.ts): 403, HTML, naming each of `mentions`. Returns its text. */
export async function expectRefusedPage(response: Response, ...mentions: string[]): Promise<string> {
  const page = await response.text();
  expect(response.status, page).toBe(403);
  expect(response.headers.get("Content-Type")).toContain("text/html");
  expect(page).toContain("not allowed to use this server");
  for (const mention of mentions) expect(page).toContain(mention);
  return page;
}
