/** The workspace file library: list, upload, delete. */
import { z } from "zod";
import { defineTool } from "./registry";
import { idInput, pageInput, perPageInput, toId } from "./inputs";

/**
 * Decoded bytes one upload may carry. The whole file travels inside one tool call, and both MCP
 * transports refuse a request body over 4 MiB (the SDK's default for /mcp, hard-coded in agents
 * for /sse), so base64 (4/3 larger) of anything much over 2 MiB could never reach this tool: the
 * assistant would get a bare "Payload Too Large" instead of this limit.
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
const MAX_BULK_FILE_IDS = 1000;
const LIMIT_TEXT = `2 MB (${MAX_UPLOAD_BYTES} bytes)`;

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?(?:;[\w-]+=[\w.-]+)*;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Common extensions → MIME type, so Xano can check the file against `type`. */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml",
  mp3: "audio/mpeg", wav: "audio/wav", ogg: "audio/ogg", m4a: "audio/mp4", mp4: "video/mp4", webm: "video/webm", mov: "video/quicktime",
  pdf: "application/pdf", json: "application/json", csv: "text/csv", txt: "text/plain", md: "text/markdown", html: "text/html",
};

function stripBase64(value: string): { data: string; mime?: string } {
  const prefix = DATA_URL.exec(value);
  const data = (prefix ? value.slice(prefix[0].length) : value).replace(/\s+/g, "");
  return { data, mime: prefix?.[1] };
}

function decodedBase64Size(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

const uploadInput = z
  .object({
    workspace_id: idInput("workspace"),
    name: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\\u0000-\u001f]+$/, "must be a plain file name without slashes or control characters")
      .describe('The file name, with its extension, e.g. "logo.png" or "notes.txt".'),
    content_base64: z
      .string()
      .optional()
      .describe(`The file's bytes, base64-encoded (a "data:<mime>;base64," prefix is accepted). Give this OR text. At most ${LIMIT_TEXT} once decoded.`),
    text: z.string().optional().describe(`The file's content as plain text (stored as UTF-8). Give this OR content_base64. At most ${LIMIT_TEXT}.`),
    mime_type: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must look like "type/subtype", e.g. "image/png"')
      .optional()
      .describe("The MIME type, e.g. image/png. Default: from a data: prefix, else from the name's extension, else text/plain for text and application/octet-stream for bytes."),
    type: z.enum(["image", "video", "audio"]).optional().describe("Make Xano check and store the file as an image, video or audio file. Omit for any other file (an attachment)."),
    access: z.enum(["public", "private"]).optional().describe("public (default): anyone with the URL can read it; private: only through your Xano APIs."),
  })
  .superRefine((args, ctx) => {
    const given = (args.content_base64 !== undefined ? 1 : 0) + (args.text !== undefined ? 1 : 0);
    if (given !== 1) {
      ctx.addIssue({ code: "custom", path: ["content_base64"], message: "give exactly one of content_base64 or text" });
      return;
    }
    if (args.content_base64 !== undefined) {
      const { data } = stripBase64(args.content_base64);
      if (data.length % 4 !== 0 || !BASE64.test(data)) {
        ctx.addIssue({ code: "custom", path: ["content_base64"], message: "is not valid base64 (A-Z, a-z, 0-9, +, / with = padding)" });
      } else if (decodedBase64Size(data) > MAX_UPLOAD_BYTES) {
        ctx.addIssue({ code: "custom", path: ["content_base64"], message: `decodes to ${megabytes(decodedBase64Size(data))}; the upload limit is ${LIMIT_TEXT}` });
      }
    } else if (new TextEncoder().encode(args.text).length > MAX_UPLOAD_BYTES) {
      ctx.addIssue({ code: "custom", path: ["text"], message: `is ${megabytes(new TextEncoder().encode(args.text).length)} as UTF-8; the upload limit is ${LIMIT_TEXT}` });
    }
  });

function fileContent(args: z.infer<typeof uploadInput>): Blob {
  const extension = args.name.includes(".") ? args.name.split(".").pop()!.toLowerCase() : "";
  if (args.text !== undefined) {
    return new Blob([args.text], { type: args.mime_type ?? MIME_BY_EXTENSION[extension] ?? "text/plain" });
  }
  const { data, mime } = stripBase64(args.content_base64 ?? "");
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: args.mime_type ?? mime ?? MIME_BY_EXTENSION[extension] ?? "application/octet-stream" });
}

export const listFiles = defineTool({
  name: "xano_list_files",
  title: "List files",
  area: "Files",
  description:
    "Lists the files in a workspace's file library (name, size in bytes, type, MIME type, access, path), one page at a time (default 50). " +
    "Returns items plus curPage, nextPage and prevPage; when nextPage is not null, call again with page = nextPage. " +
    "Newest first by default. Xano lists public files unless access is private, so call once per access level to see every file.",
  input: z.object({
    workspace_id: idInput("workspace"),
    page: pageInput,
    per_page: perPageInput(1000, 50),
    search: z.string().max(200).optional().describe("Only files whose name contains this text."),
    access: z
      .enum(["public", "private"])
      .optional()
      .describe("public or private files. Xano's default is public, so leave it out and private files may be missing; ask again with private to see them."),
    sort: z.enum(["created_at", "name", "size", "mime"]).optional().describe("Field to sort by: created_at (default), name, size or mime."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order: desc (default, newest first) or asc."),
  }),
  kind: "read",
  operations: ["file.list"],
  describe: (args) => `list the files of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.listFiles(toId(args.workspace_id), {
      page: args.page ?? 1, perPage: args.per_page ?? 50, search: args.search, access: args.access, sort: args.sort, order: args.order,
    });
    const which = args.access ?? "public";
    const other = which === "public" ? "private" : "public";
    return {
      message: `Page ${page.curPage}: ${page.items.length} ${args.access ? `${which} ` : ""}file(s)${page.nextPage ? `; more on page ${page.nextPage}` : ""}.` +
        (args.access ? "" : ` Xano lists public files by default; ask with access "${other}" for the others.`),
      data: page,
    };
  },
});

export const uploadFile = defineTool({
  name: "xano_upload_file",
  title: "Upload a file",
  area: "Files",
  description:
    `Uploads a file to a workspace's file library, from base64 bytes (content_base64) or plain text (text), at most ${LIMIT_TEXT}. ` +
    "Returns the file's metadata (id, name, size, type, mime, access, path); the object can be stored in an image, video, audio or attachment field of a record.",
  input: uploadInput,
  kind: "create",
  operations: ["file.create"],
  describe: (args) => `upload the file "${args.name}" to workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const content = fileContent(args);
    const file = await meta.uploadFile(toId(args.workspace_id), { content, name: args.name, type: args.type, access: args.access });
    const id = file?.id !== undefined ? ` as file ${String(file.id)}` : "";
    return { message: `Uploaded "${args.name}" (${content.size} bytes)${id}.`, data: file };
  },
});

export const deleteFile = defineTool({
  name: "xano_delete_file",
  title: "Delete a file",
  area: "Files",
  description: "Deletes one file from a workspace's file library. Records that point to it keep a broken link. This cannot be undone: confirm with the person first.",
  input: z.object({ workspace_id: idInput("workspace"), file_id: idInput("file") }),
  kind: "destructive",
  operations: ["file.delete"],
  describe: (args) => `delete file ${args.file_id} of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    await meta.deleteFile(toId(args.workspace_id), toId(args.file_id));
    return { message: `Deleted file ${args.file_id}.`, data: { deleted: true, file_id: toId(args.file_id) } };
  },
});

export const bulkDeleteFiles = defineTool({
  name: "xano_bulk_delete_files",
  title: "Delete many files",
  area: "Files",
  description:
    `Deletes up to ${MAX_BULK_FILE_IDS} files of a workspace by id in one call; ids that do not exist are skipped. ` +
    "This cannot be undone: confirm with the person first. List the files afterwards to check what is left.",
  input: z.object({
    workspace_id: idInput("workspace"),
    file_ids: z
      .array(idInput("file"))
      .min(1, "give at least one file id")
      .max(MAX_BULK_FILE_IDS, `at most ${MAX_BULK_FILE_IDS} file ids per call; split them into several calls`)
      .describe(`The ids of the files to delete (1 to ${MAX_BULK_FILE_IDS}).`),
  }),
  kind: "destructive",
  operations: ["file.bulk_delete"],
  describe: (args) => `delete ${args.file_ids.length} file(s) of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const ids = args.file_ids.map(toId);
    const result = await meta.bulkDeleteFiles(toId(args.workspace_id), ids);
    return { message: `Asked Xano to delete ${ids.length} file(s).`, data: { file_ids: ids, result } };
  },
});
