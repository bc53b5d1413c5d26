/**
 * The front door in a real browser: Debian's Chromium driven by playwright-core against the local
 * stack (fake-xano + `wrangler dev`, started here on free ports; scripts/lib/local-stack.ts).
 *
 * At a phone (390×844) and a desktop (1280×800) viewport a person first pastes a 10 KB instance
 * URL (refused, the page no wider than the screen), sees the sign-in page lead with the
 * recommended method and fold the others, signs in with a Metadata API token, approves a client that registered itself (DCR, PKCE S256) and lands on the client's
 * redirect with a code that really exchanges for a working MCP token; signed in, a second client
 * still needs its own consent; the Connected apps page lists both and revokes one; Activity shows
 * the tool call made with the remaining app; an operator (Bob) who signed in on /apps with Sign in
 * with Xano sees the operator's view (/admin) and Alice's page with its Block form, which are 404
 * before; Block does nothing until its confirmation is ticked (no script: the checkbox is
 * required), then Alice's page shows her block, /admin lists her, and Unblock lets her back.
 *
 * Every page of ours is checked for: accessible names of all controls (axe-core's naming rules,
 * injected by Playwright's evaluate, which the pages' CSP does not block, so no `bypassCSP` is
 * needed and the pages run under their real policy), a visible <label> for every input, no
 * horizontal scrolling at 360 px wide, and no CSP violation. Screenshots go to
 * test-artifacts/browser/ (git-ignored).
 *
 * Without Chromium (CHROMIUM_PATH, default /usr/bin/chromium) the suite is skipped with a message,
 * except with CI=true, where a missing browser fails.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE_METADATA_TOKEN } from "../../fixtures/seed";
import { startLocalStack, type LocalStack } from "../../scripts/lib/local-stack";
import { authorizeUrl, exchangeCode, newPkce, registerClient } from "../../scripts/lib/oauth-http-client";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/browser/", import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** axe-core rules that fail when a control has no accessible name. */
const NAME_RULES = ["button-name", "link-name", "label", "select-name", "input-button-name", "aria-command-name", "aria-input-field-name", "aria-toggle-field-name"];
const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];
const NARROWEST = 360;

if (!HAS_CHROMIUM) {
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (CI does, see .ci/run) or set CHROMIUM_PATH.`);
}

// In CI a skipped browser suite would let the run go green without a browser: fail instead
// (.ci/run fails earlier for the same reason; this covers CI runners that call vitest directly).
it.runIf(!HAS_CHROMIUM && process.env.CI === "true")("has Chromium in CI", () => {
  expect.fail(`CI=true but there is no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
});

let stack: LocalStack;
let browser: Browser;
let callback: { server: Server; redirectUri: string };

/** The MCP client's redirect target: a real loopback page, as a desktop client would run. */
async function startCallbackServer(): Promise<{ server: Server; redirectUri: string }> {
  const server = createServer((_, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><html lang="en"><title>Test app</title><h1>Signed in; you can close this tab</h1></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback` };
}

/** One MCP request with the token: 200 while the grant lives, 401 once it is revoked. */
async function mcpStatus(token: string): Promise<number> {
  const response = await fetch(`${stack.publicUrl}/mcp`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "browser-test", version: "1" } } }),
  });
  await response.body?.cancel();
  return response.status;
}

/** Records CSP violations Chromium reports on the console. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** The checks every page of ours passes, plus its screenshot. */
async function checkPage(page: Page, viewport: (typeof VIEWPORTS)[number], label: string, csp: string[]): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${viewport.name}-${viewport.width}x${viewport.height}-${label}.png`, fullPage: true });

  await page.evaluate(AXE_SOURCE);
  // Page-side code runs in Chromium; this project's TypeScript has no DOM types, hence `any` there.
  const axe = await page.evaluate(async (rules) => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: "rule", values: rules } });
    return {
      violations: (result.violations as any[]).map((v) => `${v.id}: ${(v.nodes as any[]).map((n) => n.html).join(" | ")}`),
      checked: (result.passes as any[]).reduce((sum: number, p) => sum + p.nodes.length, 0),
    };
  }, NAME_RULES);
  expect(axe.violations, `${label}: controls without an accessible name`).toEqual([]);
  expect(axe.checked, `${label}: axe found no controls to check`).toBeGreaterThan(0);

  const unlabelled = await page.evaluate(() =>
    ([...(globalThis as any).document.querySelectorAll("input, select, textarea")] as any[])
      .filter((control) => control.type !== "hidden" && control.getClientRects().length > 0)
      .filter((control) => !([...(control.labels ?? [])] as any[]).some((l) => l.getClientRects().length > 0 && l.textContent.trim() !== ""))
      .map((control) => control.outerHTML as string),
  );
  expect(unlabelled, `${label}: inputs without a visible <label>`).toEqual([]);

  for (const width of [viewport.width, NARROWEST]) {
    await page.setViewportSize({ width, height: viewport.height });
    const overflow = await page.evaluate(() => {
      const root = (globalThis as any).document.documentElement;
      return (root.scrollWidth - root.clientWidth) as number;
    });
    expect(overflow, `${label}: horizontal scroll at ${width} px wide`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: viewport.width, height: viewport.height });
  expect(csp, `${label}: CSP violations`).toEqual([]);
}

/** A client registers itself and sends the person to /authorize. */
async function startAuthorization(page: Page, clientName: string) {
  const { response: registered, client } = await registerClient(fetch, stack.publicUrl, { client_name: clientName, redirect_uris: [callback.redirectUri] });
  expect(registered.status).toBe(201);
  const clientId: string = client.client_id;
  const pkce = await newPkce();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const response = await page.goto(authorizeUrl(stack.publicUrl, { clientId, redirectUri: callback.redirectUri, challenge: pkce.challenge, state }).toString());
  expect(response?.status()).toBe(200);
  return { clientId, pkce, state, clientName };
}

/** Presses Allow and follows the redirect; the code must exchange (PKCE) for a working MCP token. */
async function approve(page: Page, flow: Awaited<ReturnType<typeof startAuthorization>>): Promise<string> {
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((url) => url.href.startsWith(callback.redirectUri));
  const back = new URL(page.url()).searchParams;
  expect(back.get("state")).toBe(flow.state);
  expect(back.get("iss")).toBe(stack.publicUrl);
  expect(back.get("code")).toBeTruthy();
  const tokens = await exchangeCode(fetch, stack.publicUrl, { clientId: flow.clientId, redirectUri: callback.redirectUri, code: back.get("code")!, verifier: flow.pkce.verifier });
  expect(await mcpStatus(tokens.access_token)).toBe(200);
  return tokens.access_token;
}

/** Passes when the element shows within 5 s; throws (failing the test) otherwise. */
async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout: 5_000 });
}

/** Unfolds every alternative sign-in method (<details>, no script needed to open them). */
async function openAlternatives(page: Page): Promise<void> {
  const folded = page.locator("details:not([open]) > summary");
  while ((await folded.count()) > 0) await folded.first().click();
}

async function signInWithToken(page: Page, instanceUrl = stack.instanceUrl): Promise<void> {
  const folded = page.locator("details:not([open]):has(#instance_url) > summary");
  if ((await folded.count()) > 0) await folded.click();
  await page.getByLabel("Instance URL").fill(instanceUrl);
  await page.getByLabel(/^Metadata API token/).fill(ALICE_METADATA_TOKEN);
  await page.getByRole("button", { name: "Sign in with token" }).click();
  await page.waitForLoadState();
}

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM ? "front door in a real browser" : `front door in a real browser (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`,
  () => {
    beforeAll(async () => {
      [stack, browser, callback] = await Promise.all([
        // Bob is the operator of /admin (ADMIN_EMAILS); Alice is the person he sees.
        startLocalStack({ vars: { ADMIN_EMAILS: "bob@example.com" } }),
        chromium.launch({
          executablePath: CHROMIUM,
          // Playwright adds --headless and a fresh --user-data-dir; the rest keeps Chromium from
          // reaching for hosts it cannot reach here (stack.md).
          args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        }),
        startCallbackServer(),
      ]);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
      await new Promise((resolve) => callback?.server.close(resolve));
    });

    describe.each(VIEWPORTS)("at $width×$height ($name)", (viewport) => {
      let context: BrowserContext;
      let page: Page;
      let csp: string[];
      const tokens: Record<string, string> = {};
      const first = `Browser Test App (${viewport.name})`;
      const second = `Second App (${viewport.name})`;

      beforeAll(async () => {
        context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        page = await context.newPage();
        csp = watchCsp(page);
      });
      afterAll(() => context?.close());

      it("a 10 KB instance URL is refused without widening the page; the form stays usable", async () => {
        await startAuthorization(page, `Long Value App (${viewport.name})`);
        await signInWithToken(page, `https://${"a".repeat(10_000)}.n7.xano.io`);
        await visible(page.getByRole("alert").filter({ hasText: "longer than 2048 characters" }));
        // checkPage measures horizontal scroll at this width and at 360 px.
        await checkPage(page, viewport, "0-long-value-refused", csp);
        expect(await page.getByLabel("Instance URL").inputValue()).toBe("");
      });

      it("signs in with a Metadata API token, approves a newly registered client and lands on its redirect with a code", async () => {
        const flow = await startAuthorization(page, first);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/sign in/i);
        await visible(page.getByText(first));
        // The recommended method leads, ready to use; the others are folded "or" alternatives.
        const lead = page.locator("section.method").first();
        await visible(lead.getByRole("button", { name: "Sign in with Xano" }));
        expect(await page.locator("details.method > summary").allTextContents()).toEqual(["Use a Metadata API token", "Email and password of a Xano app's user"]);
        expect(await page.getByLabel("Instance URL").isVisible()).toBe(false);
        // On a phone the page is about one screen until an alternative is opened (three stacked forms were 1.6).
        const height = await page.evaluate(() => (globalThis as any).document.documentElement.scrollHeight as number);
        expect(height, "sign-in page height").toBeLessThanOrEqual(viewport.height * 1.15);
        await checkPage(page, viewport, "1-sign-in", csp);
        await openAlternatives(page);
        await visible(page.getByText("This is not your Xano account"));
        await checkPage(page, viewport, "1b-sign-in-alternatives-open", csp);

        await signInWithToken(page);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(first);
        await visible(page.getByText(new URL(callback.redirectUri).hostname, { exact: true })); // where access goes
        await visible(page.getByText(/app on your computer/i)); // the loopback-redirect warning
        await checkPage(page, viewport, "2-consent", csp);

        tokens[first] = await approve(page, flow);
        await page.screenshot({ path: `${ARTIFACTS}${viewport.name}-${viewport.width}x${viewport.height}-3-client-redirect.png` });
      }, 90_000); // four pages checked (axe, screenshots, three widths): above the default 30 s on a busy machine

      it("still asks a signed-in person to approve another client", async () => {
        const flow = await startAuthorization(page, second);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(second);
        await checkPage(page, viewport, "4-consent-signed-in", csp);
        tokens[second] = await approve(page, flow);
      });

      it("lists the approved apps on Connected apps and revokes one", async () => {
        // The page is merged (src/front-door/apps.ts): a 404 here is a failure, not a reason to skip.
        const response = await page.goto(`${stack.publicUrl}/apps`);
        expect(response?.status()).toBe(200);
        // The sign-in from /authorize (first test) is the session /apps reads, so the list shows
        // straight away; a sign-in form here would mean that session was lost.
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Connected apps");
        expect(await page.getByLabel(/^Metadata API token/).count()).toBe(0);

        // Each app is one list item headed by its name (appsPage in src/front-door/apps.ts).
        const entryOf = (name: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 2, name, exact: true }) });
        expect(await entryOf(first).count()).toBe(1);
        expect(await entryOf(second).count()).toBe(1);
        await visible(page.getByRole("button", { name: "Revoke all", exact: true }));
        // Signing out disconnects every app: the button says so, and is not the primary action.
        const signOut = page.getByRole("button", { name: "Sign out and disconnect all apps", exact: true });
        await visible(signOut);
        expect(await signOut.getAttribute("class")).not.toContain("primary");
        await checkPage(page, viewport, "5-connected-apps", csp);

        await entryOf(first).getByRole("button", { name: "Revoke", exact: true }).click();
        await page.waitForURL(`${stack.publicUrl}/apps?revoked=one`);
        await visible(page.getByRole("status").filter({ hasText: "The app was disconnected." }));
        expect(await entryOf(first).count()).toBe(0);
        expect(await entryOf(second).count()).toBe(1);
        await checkPage(page, viewport, "6-connected-apps-after-revoke", csp);

        expect(await mcpStatus(tokens[first])).toBe(401);
        expect(await mcpStatus(tokens[second])).toBe(200);
      });

      it("shows the person's tool calls on Activity, with a labelled filter form and a chart", async () => {
        const call = await fetch(`${stack.publicUrl}/mcp`, {
          method: "POST",
          headers: { Authorization: `Bearer ${tokens[second]}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "whoami", arguments: {} } }),
        });
        expect(call.status).toBe(200);
        await call.body?.cancel();
        await page.goto(`${stack.publicUrl}/apps`);
        await page.getByRole("link", { name: /Activity/ }).click();
        await page.waitForURL(`${stack.publicUrl}/apps/activity`);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Activity");
        // Recorded after the answer (ctx.waitUntil): reload until it is there.
        const entry = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: "whoami", exact: true }) });
        for (let attempt = 0; attempt < 20 && (await entry.count()) === 0; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          await page.reload();
        }
        expect(await entry.count()).toBeGreaterThanOrEqual(1);
        await visible(entry.first().getByText(second));
        await visible(page.getByRole("img", { name: /Calls per day/ }));
        for (const label of ["App", "Tool", "Outcome"]) await visible(page.getByLabel(label, { exact: true }));
        await checkPage(page, viewport, "7-activity", csp);
      });

      it("an operator signed in with Xano on /apps sees the operator's view and a person's page, blocks and unblocks them", async () => {
        const operatorContext = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        try {
          const op = await operatorContext.newPage();
          const opCsp = watchCsp(op);
          // Before signing in, /admin is the plain 404 of any unknown address.
          expect((await op.goto(`${stack.publicUrl}/admin`))?.status()).toBe(404);
          await op.goto(`${stack.publicUrl}/apps`);
          await op.getByRole("button", { name: "Sign in with Xano" }).click();
          await op.getByLabel("Email").fill("bob@example.com");
          await op.getByLabel("Password").fill("bob-password");
          await op.getByRole("button", { name: "Allow access" }).click();
          await op.waitForURL(`${stack.publicUrl}/apps`);

          expect((await op.goto(`${stack.publicUrl}/admin`))?.status()).toBe(200);
          expect(await op.getByRole("heading", { level: 1 }).textContent()).toBe("Operator's view");
          for (const chart of [/Calls per day/, /Share of calls that failed/, /Calls by tool/]) await visible(op.getByRole("img", { name: chart }));
          await checkPage(op, viewport, "8-admin", opCsp);

          await op.getByRole("link", { name: "alice@example.com", exact: true }).first().click();
          await op.waitForURL(/\/admin\/person\?user=/);
          expect(await op.getByRole("heading", { level: 1 }).textContent()).toBe("alice@example.com");
          const app = op.getByRole("listitem").filter({ has: op.getByRole("heading", { level: 3, name: second, exact: true }) });
          await visible(app.getByRole("button", { name: "Revoke", exact: true }));
          await visible(op.getByLabel(/^Reason/));
          const confirm = op.getByLabel("I understand this ends all of their apps and tokens at once.");
          await visible(confirm);
          await checkPage(op, viewport, "9-admin-person", opCsp);

          // Unticked, the browser itself refuses to send the form (required): nothing happens.
          const personUrl = op.url();
          await op.getByRole("button", { name: "Block", exact: true }).click();
          expect(op.url()).toBe(personUrl);
          await op.getByLabel(/^Reason/).fill(`Browser test (${viewport.name})`);
          await confirm.check();
          await op.getByRole("button", { name: "Block", exact: true }).click();
          await op.waitForURL(/done=blocked/);
          await visible(op.getByRole("status").filter({ hasText: "The person was blocked" }));
          await visible(op.getByText(`Browser test (${viewport.name})`));
          await checkPage(op, viewport, "10-admin-person-blocked", opCsp);

          await op.goto(`${stack.publicUrl}/admin`);
          const blocked = op.getByRole("listitem").filter({ has: op.getByRole("heading", { level: 3, name: "alice@example.com", exact: true }) }).filter({ hasText: "Blocked" });
          await visible(blocked.getByRole("button", { name: "Unblock" }));
          await checkPage(op, viewport, "11-admin-blocked", opCsp);
          await blocked.getByRole("button", { name: "Unblock" }).click();
          await op.waitForURL(/done=unblocked/);
          await visible(op.getByRole("status").filter({ hasText: "The person was unblocked" }));
        } finally {
          await operatorContext.close();
        }
      }, 90_000);
    });
  },
);
