/** Meta API, area file: a workspace's files (list, upload, delete one or many). */
import type { Id, ListRequest, Page, XanoRecord } from "../types";
import { asPage, listQuery, type MetaCall } from "./call";

/** Sortable fields of the file list, as Xano's description has them (default created_at, desc). */
export type FileSort = "created_at" | "name" | "size" | "mime";

export type FileCalls = ReturnType<typeof fileCalls>;

export function fileCalls(call: MetaCall) {
  return {
    /** `access` defaults to public in Xano's description, so a list without it may leave private files out. */
    async listFiles(workspaceId: Id, options: ListRequest<FileSort> & { access?: "public" | "private" } = {}): Promise<Page<XanoRecord>> {
      return asPage(await call("file.list", { workspace_id: workspaceId }, { query: { ...listQuery(options), access: options.access } }));
    },

    /** Multipart upload with the file in `content`; Xano answers the file's metadata. */
    uploadFile(workspaceId: Id, file: { content: Blob; name: string; type?: "image" | "video" | "audio"; access?: "public" | "private" }): Promise<XanoRecord> {
      const form = new FormData();
      form.set("content", file.content, file.name);
      if (file.type) form.set("type", file.type);
      if (file.access) form.set("access", file.access);
      return call("file.create", { workspace_id: workspaceId }, { form });
    },

    deleteFile(workspaceId: Id, fileId: Id): Promise<unknown> {
      return call("file.delete", { workspace_id: workspaceId, file_id: fileId });
    },

    bulkDeleteFiles(workspaceId: Id, fileIds: number[]): Promise<unknown> {
      return call("file.bulk_delete", { workspace_id: workspaceId }, { body: { ids: fileIds } });
    },
  };
}
