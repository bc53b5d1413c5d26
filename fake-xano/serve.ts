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

export interface FakeXanoServerOptions {
  /** The account origin's port; the instances take port+1 and port+2. 0: three ports the system picks. */
  port?: number;
  /** The fake's clock (epoch ms); default Date.now. */
  now?: () => number;
}

export async function startFakeXanoServer({ port = 8788, now }: FakeXanoServerOptions = {}): Promise<FakeXanoServer> {
  const host = "127.0.0.1";
  const surfaces = ["account", SHARED_INSTANCE, SANDBOX_INSTANCE];
  // The fake needs every origin before it is built (instance records' meta_api name them), and
  // with port 0 they are known only once listening: each server reads `fake` when a request comes.
  let fake: FakeXano | undefined;

  const listen = (wanted: number) =>
    new Promise<{ server: ServerType; origin: string }>((resolve, reject) => {
      let origin = "";
      const server = serve(
        {
          hostname: host,
          port: wanted,
          // Dispatch by the port that was hit, not the Host header: "localhost:8788" and
          // "127.0.0.1:8788" must reach the same surface.
          fetch: async (request: Request, env: HttpBindings | Http2Bindings) => {
            const url = new URL(request.url);
            const hasBody = request.method !== "GET" && request.method !== "HEAD";
            const rewritten = new Request(`${origin}${url.pathname}${url.search}`, {
              method: request.method, headers: request.headers, body: hasBody ? await request.arrayBuffer() : undefined,
            });
            try {
              return await fake!.fetch(rewritten);
            } catch (err) {
              if (!(err instanceof FakeNetworkError)) throw err;
              env.incoming.socket.destroy(); // a real dropped connection, not an HTTP error
              return new Response(null, { status: 599 });
            }
          },
        },
        (info: AddressInfo) => {
          origin = `http://${host}:${info.port}`;
          resolve({ server, origin });
        },
      );
      server.once("error", reject);
    });

  const listening = await Promise.all(surfaces.map((_, i) => listen(port === 0 ? 0 : port + i)));
  const [accountOrigin, ...instances] = listening.map((l) => l.origin);
  const instanceOrigins = Object.fromEntries(instances.map((origin, i) => [surfaces[i + 1], origin]));
  fake = createFakeXano({ accountOrigin, instanceOrigins, now });
  return {
    fake, accountOrigin, instanceOrigins,
    close: () => Promise.all(listening.map(({ server: s }) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
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
