/**
 * Puts fake-xano on the Worker's network for one test file: every fetch the Worker makes to a
 * Xano origin is answered by the in-process fake (msw), anything else fails the test.
 * State and knobs are reset before each test, and so are per-test network overrides.
 */
import type { RequestHandler } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createFakeXano, type FakeXano } from "../../fake-xano/index";
import { fakeXanoHandlers, startNetwork, type FakeNetwork } from "../../fake-xano/msw";
import { DEFAULT_INSTANCE_ORIGINS, SHARED_INSTANCE, SANDBOX_INSTANCE } from "../../fixtures/seed";

export const SHARED_INSTANCE_URL = DEFAULT_INSTANCE_ORIGINS[SHARED_INSTANCE];
export const SANDBOX_INSTANCE_URL = DEFAULT_INSTANCE_ORIGINS[SANDBOX_INSTANCE];

/** `otherHosts`: msw handlers for any other host a test puts on the network (e.g. a client's CIMD document). */
export function useFakeXano(otherHosts: RequestHandler[] = []): FakeXano {
  const fake = createFakeXano();
  let network: FakeNetwork;
  beforeAll(() => {
    network = startNetwork([...fakeXanoHandlers(fake), ...otherHosts]);
    current = network;
  });
  afterAll(() => network.close());
  beforeEach(() => fake.reset());
  afterEach(() => network.resetHandlers());
  return fake;
}

let current: FakeNetwork | undefined;

/**
 * For one test: `handlers` answer before fake-xano (e.g. an answer no real Xano route would give,
 * such as a body larger than the server reads). Undone after the test.
 */
export function overrideNetwork(...handlers: RequestHandler[]): void {
  if (!current) throw new Error("overrideNetwork needs useFakeXano() in the test file");
  current.use(...handlers);
}
