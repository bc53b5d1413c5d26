/**
 * The browser of the worker tests: scripts/lib/oauth-http-client.ts's HttpBrowser (a cookie jar per
 * origin, manual redirects, HTML forms submitted as a browser would) whose requests to our origin go
 * through SELF.fetch into the real Worker, and to any other origin (fake Xano's pages) through the
 * intercepted network (fake-xano-network.ts). Pages are driven the way a person would: find the
 * form, fill the labelled fields, press a button.
 */
import { SELF } from "cloudflare:test";
import { parseForms as parseFormsAt, type HtmlForm } from "../../scripts/lib/html-forms";
import { HttpBrowser } from "../../scripts/lib/oauth-http-client";

export { decodeEntities, fieldNameForLabel, type HtmlForm } from "../../scripts/lib/html-forms";

export const ORIGIN = "http://localhost:8787";

/** How a request reaches the Worker: SELF, or the Worker's fetch called with another env (tests/allow-lists.test.ts). */
export type WorkerFetch = (request: Request) => Promise<Response>;

export class TestBrowser extends HttpBrowser {
  /** `headers` go with every request to the Worker, e.g. the `CF-Connecting-IP` Cloudflare would add. */
  constructor(headers: Record<string, string> = {}, worker: WorkerFetch = (request) => SELF.fetch(request)) {
    super((input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).origin !== ORIGIN) return fetch(request);
      for (const [name, value] of Object.entries(headers)) if (!request.headers.has(name)) request.headers.set(name, value);
      return worker(request);
    }, ORIGIN);
  }
}

/** Every <form> of a page (by default one of ours) with its fields, buttons and label texts. */
export function parseForms(page: string, origin: string = ORIGIN): HtmlForm[] {
  return parseFormsAt(page, origin);
}
