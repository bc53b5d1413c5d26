// Instance Meta API: the workspace file library (Xano's description, "file").
// List: sort created_at|name|size|mime (default created_at, desc); `access` defaults to public, so a
// list without it leaves private files out.
// Upload is multipart/form-data with the file in `content` (required), `type` image|video|audio
// (optional; Xano's default is "attachment") and `access` public|private (default public).
// [unverified] choices the fake made: a `type` the file's MIME type does not match is a 400 naming
// `type`; DELETE and bulk_delete answer `null`, and bulk_delete skips ids that do not exist.

import type { FileKind, SeedFile } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { queryList } from "../list-query";
import type { RouteDef } from "../router";
import { workspaceFor } from "./lookup";
import { xanoTimestamp } from "../timestamps";

const F = "/api:meta/workspace/{w}/file";
const SORTABLE = ["created_at", "name", "size", "mime"] as const;

function record(f: SeedFile) {
  return { id: f.id, created_at: xanoTimestamp(f.created_at), name: f.name, size: f.size, type: f.type, mime: f.mime, access: f.access, path: f.path };
}

function filesOf(ctx: RequestContext): SeedFile[] {
  const ws = workspaceFor(ctx);
  return [...ctx.core.store.assets.files.values()].filter((f) => f.workspaceId === ws.id);
}

function list(ctx: RequestContext) {
  const access = ctx.query.get("access") || "public";
  if (access !== "public" && access !== "private") throw inputError('access must be "public" or "private".', "access");
  const files = filesOf(ctx).filter((f) => f.access === access);
  const page = queryList(ctx, files, SORTABLE);
  return { ...page, items: page.items.map(record) };
}

async function upload(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  if (!(ctx.request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    throw inputError("Upload a file as multipart/form-data in the field content.", "content");
  }
  const form = await ctx.request.formData().catch(() => {
    throw inputError("The multipart body could not be read.", "content");
  });
  const content = form.get("content");
  if (content === null || typeof content === "string") throw inputError("content is required (a file part).", "content");
  const type = form.get("type");
  const access = form.get("access") ?? "public";
  if (type !== null && type !== "" && type !== "image" && type !== "video" && type !== "audio") {
    throw inputError('type must be "image", "video" or "audio".', "type");
  }
  if (access !== "public" && access !== "private") throw inputError('access must be "public" or "private".', "access");
  const mime = content.type || "application/octet-stream";
  const kind: FileKind = type === null || type === "" ? "attachment" : type;
  if (kind !== "attachment" && !mime.startsWith(`${kind}/`)) throw inputError(`The file is ${mime}, not ${kind}.`, "type");

  const assets = ctx.core.store.assets;
  const id = assets.nextFileId++;
  const name = content.name || "upload";
  const file: SeedFile = {
    id, workspaceId: ws.id, name, size: content.size, type: kind, mime, access,
    path: `/vault/upload-${id}/${encodeURIComponent(name)}`, created_at: ctx.core.now(),
  };
  assets.files.set(id, file);
  return record(file);
}

function remove(ctx: RequestContext) {
  const id = Number(ctx.params.id);
  const file = filesOf(ctx).find((f) => f.id === id);
  if (!file) throw notFound(`File ${ctx.params.id} not found.`);
  ctx.core.store.assets.files.delete(id);
  return {};
}

async function bulkDelete(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const ids = (await ctx.body()).ids;
  if (!Array.isArray(ids)) throw inputError("ids must be a list of file ids.", "ids");
  const files = ctx.core.store.assets.files;
  for (const id of ids) {
    if (typeof id === "number" && files.get(id)?.workspaceId === ws.id) files.delete(id);
  }
  return {};
}

export const fileRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: F, auth: "meta:read", handle: list },
  { surface: "instance", method: "POST", path: F, auth: "meta:write", handle: upload },
  { surface: "instance", method: "DELETE", path: `${F}/bulk_delete`, auth: "meta:write", handle: bulkDelete },
  { surface: "instance", method: "DELETE", path: `${F}/{id}`, auth: "meta:write", handle: remove },
];
