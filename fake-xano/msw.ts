// Puts the fake on the (intercepted) network: every fetch to one of the fake's origins is answered
// by fake.fetch; anything else is an error (onUnhandledRequest: "error"), so a test notices a
// client talking to a host it should not. msw 2's setupServer works inside workerd (stack.md).

import { http, HttpResponse, type RequestHandler } from "msw";
import { setupServer, type SetupServer } from "msw/node";
import { FakeNetworkError, type FakeXano } from "./index";

/** Copies msw's request into a fresh Request so the fake owns its body and headers. */
async function detach(request: Pick<Request, "url" | "method" | "headers" | "arrayBuffer">): Promise<Request> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    redirect: "manual",
  });
}

export function fakeXanoHandlers(fake: FakeXano): RequestHandler[] {
  return fake.origins.map((origin) =>
    http.all(`${origin}/*`, async ({ request }) => {
      try {
        return await fake.fetch(await detach(request));
      } catch (err) {
        if (err instanceof FakeNetworkError) return HttpResponse.error();
        throw err;
      }
    }),
  );
}

/** An msw server already listening; call `.close()` in afterAll. */
export function startFakeXanoNetwork(fake: FakeXano): SetupServer {
  const server = setupServer(...fakeXanoHandlers(fake));
  server.listen({ onUnhandledRequest: "error" });
  return server;
}
