/**
 * The one way this server reads a body: streamed, with a byte cap, and the stream cancelled the
 * moment the cap is passed. A Worker isolate has 128 MB shared by every request it serves, and
 * `arrayBuffer()`/`text()`/`json()`/`formData()` read whatever arrives, declared or chunked; so
 * request bodies (front-door forms, the token endpoint, MCP messages) and upstream answers (Xano,
 * whose instance host a person can type) all come through here, each with its own cap.
 *
 * A declared `Content-Length` over the cap is refused without reading a byte; a body without one
 * (chunked) is counted as it arrives. Callers decide what "too large" means on their wire (413 for
 * requests, a tool error for upstream answers). A body that breaks off mid-read throws, as the
 * runtime's own readers do.
 *
 * A leaf module: it imports nothing of the server.
 */

export type BoundedRead = { ok: true; bytes: Uint8Array } | { ok: false; maxBytes: number };

/** Anything with a body and headers: a Request or a Response. */
export interface BodySource {
  readonly body: ReadableStream<Uint8Array> | null;
  readonly headers: Headers;
}

export async function readBounded(source: BodySource, maxBytes: number): Promise<BoundedRead> {
  const stream = source.body;
  if (stream === null) return { ok: true, bytes: new Uint8Array(0) };
  const declared = Number(source.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) {
    await stream.cancel("body larger than the size limit").catch(() => undefined);
    return { ok: false, maxBytes };
  }
  return readStreamBounded(stream, maxBytes);
}

/** Reads a stream to its end, or cancels it as soon as more than `maxBytes` have arrived. */
async function readStreamBounded(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<BoundedRead> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Cancelling (not just stopping) tells the sender we are done: the runtime stops buffering
      // what is still on the wire and an upstream fetch releases its connection.
      await reader.cancel("body larger than the size limit").catch(() => undefined);
      return { ok: false, maxBytes };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** "64 KiB", "4 MiB": how a cap is named in error messages and pages. */
export function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
