// The fake Xano as a local dev server (Node, run with tsx): `npm run fake-xano`.
// Loopback only. One port per origin, as on the real network:
//   account (API, OAuth server, admin)  http://127.0.0.1:PORT      (PORT = FAKE_XANO_PORT, default 8788)
//   shared instance x1234-5678-9012     http://127.0.0.1:PORT+1
//   Alice's sandbox x9999-0000-1111     http://127.0.0.1:PORT+2
// Instance records' `meta_api` point at these origins, so a client following them stays local.

import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve, type Http2Bindings, type HttpBindings, type ServerType } from "@hono/node-server";
import {
  ALICE_METADATA_TOKEN, ALICE_SANDBOX_METADATA_TOKEN, BOB_METADATA_TOKEN, PREREGISTERED_CLIENT_ID, SANDBOX_INSTANCE, SHARED_INSTANCE, seed,
} from "../fixtures/seed";
import { FakeNetworkError, createFakeXano, type FakeXano } from "./index";

export interface FakeXanoServer {
  fake: FakeXano;
  accountOrigin: string;
  instanceOrigins: Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeXanoServer({ port = 8788 }: { port?: number } = {}): Promise<FakeXanoServer> {
  const host = "127.0.0.1";
  const accountOrigin = `http://${host}:${port}`;
  const instanceOrigins = {
    [SHARED_INSTANCE]: `http://${host}:${port + 1}`,
    [SANDBOX_INSTANCE]: `http://${host}:${port + 2}`,
  };
  const fake = createFakeXano({ accountOrigin, instanceOrigins });

  const listen = (origin: string) =>
    new Promise<ServerType>((resolve, reject) => {
      const server = serve(
        {
          hostname: host,
          port: Number(new URL(origin).port),
          // Dispatch by the port that was hit, not the Host header: "localhost:8788" and
          // "127.0.0.1:8788" must reach the same surface.
          fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
            const url = new URL(request.url);
            const hasBody = request.method !== "GET" && request.method !== "HEAD";
            const rewritten = new Request(`${origin}${url.pathname}${url.search}`, {
              method: request.method, headers: request.headers, body: hasBody ? await request.arrayBuffer() : undefined,
            });
            try {
              return await fake.fetch(rewritten);
            } catch (err) {
              if (!(err instanceof FakeNetworkError)) throw err;
              env.incoming.socket.destroy(); // a real dropped connection, not an HTTP error
              return new Response(null, { status: 599 });
            }
          },
        },
        () => resolve(server),
      );
      server.once("error", reject);
    });

  const servers = await Promise.all([accountOrigin, ...Object.values(instanceOrigins)].map(listen));
  return {
    fake, accountOrigin, instanceOrigins,
    close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}

function banner(s: FakeXanoServer): string {
  const [alice, bob] = seed.users;
  return [
    "fake-xano is listening (loopback only)",
    `  account API + OAuth:  ${s.accountOrigin}/api:meta   ${s.accountOrigin}/.well-known/oauth-authorization-server`,
    ...Object.entries(s.instanceOrigins).map(([name, o]) => `  instance ${name}:  ${o}/api:meta`),
    `  app auth group:       ${s.instanceOrigins[SHARED_INSTANCE]}/api:auth`,
    "",
    "demo users (email / password / Metadata API token):",
    `  ${alice.email} / ${alice.password} / ${ALICE_METADATA_TOKEN}  (sandbox: ${ALICE_SANDBOX_METADATA_TOKEN})`,
    `  ${bob.email} / ${bob.password} / ${BOB_METADATA_TOKEN}`,
    `pre-registered OAuth client: ${PREREGISTERED_CLIENT_ID}`,
    "",
    `admin: POST ${s.accountOrigin}/__admin/{expireToken|revokeToken|failNext|setLatency|rateLimit|reset|clearLog}  (JSON body)`,
    `       GET  ${s.accountOrigin}/__admin/log`,
    `try:   curl ${s.accountOrigin}/api:meta/instance -H 'Authorization: Bearer ${ALICE_METADATA_TOKEN}'`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.FAKE_XANO_PORT ?? 8788);
  const server = await startFakeXanoServer({ port });
  console.log(banner(server));
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
