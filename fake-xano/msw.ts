// Puts the fake on the (intercepted) network: every fetch to one of the fake's origins is answered
// by fake.fetch; anything else is an error (onUnhandledFrame: "error"), so a test notices a
// client talking to a host it should not. msw 3's `msw/node` does not load in workerd (it needs
// llhttp.wasm), so the network is msw's `defineNetwork` over the fetch interceptor (stack.md).

import { http, HttpResponse, type RequestHandler } from "msw";
import { defineNetwork, InterceptorSource } from "msw/experimental";
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { FakeNetworkError, type FakeXano } from "./index";

/** Copies msw's request into a fresh Request so the fake owns its body and headers. */
export async function detach(request: Pick<Request, "url" | "method" | "headers" | "arrayBuffer">): Promise<Request> {
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

/**
 * An intercepted network answering with `handlers`, already enabled; anything they do not answer
 * fails the fetch. `use` and `resetHandlers` add and drop per-test handlers; call `.close()` in afterAll.
 */
export function startNetwork(handlers: RequestHandler[]) {
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new FetchInterceptor()] })],
    handlers,
    onUnhandledFrame: "error",
    // No console log of each mocked request and response (msw/node's setupServer is quiet too).
    context: { quiet: true },
  });
  network.enable();
  return Object.assign(network, { close: () => network.disable() });
}

export type FakeNetwork = ReturnType<typeof startNetwork>;

/** fake-xano alone on the network; call `.close()` in afterAll. */
export function startFakeXanoNetwork(fake: FakeXano): FakeNetwork {
  return startNetwork(fakeXanoHandlers(fake));
}
