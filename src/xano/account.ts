/**
 * Xano's account ("master") API at `{XANO_ACCOUNT_URL}/api:meta`: who signed in and their
 * instances. Not an instance's Meta API, so not in the operation table: paths are written here.
 */
import { XanoHttp, type BearerSource } from "./http";
import { asArray } from "./meta/call";
import type { InstanceRecord, XanoUser } from "./types";

export class XanoAccountClient {
  private readonly http: XanoHttp;
  constructor(accountUrl: string, bearer: BearerSource, fetchImpl?: typeof fetch) {
    this.http = new XanoHttp(`${accountUrl.replace(/\/+$/, "")}/api:meta`, bearer, fetchImpl);
  }
  me(): Promise<XanoUser> {
    return this.http.request("GET", ["auth", "me"]);
  }
  listInstances(): Promise<InstanceRecord[]> {
    return this.http.request<unknown>("GET", ["instance"]).then((v) => asArray<InstanceRecord>(v));
  }
  getInstance(name: string): Promise<InstanceRecord> {
    return this.http.request("GET", ["instance", name]);
  }
}
