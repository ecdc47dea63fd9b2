/**
 * The official Alibaba Cloud SDK clients under test, each behind one `call(action, params)` that
 * returns the response body in the API's own (PascalCase) field names.
 */
import * as OpenApi from "@alicloud/openapi-client";
import RPCClient from "@alicloud/pop-core";
import Kvstore, * as kv from "@alicloud/r-kvstore20150101";
import { RuntimeOptions } from "@alicloud/tea-util";

/** One RPC call; rejects with the SDK's own error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AliCall = (action: string, params: Record<string, string>) => Promise<any>;

/** Overrides of the demo AccessKey. */
export interface AliKey {
  accessKeyId?: string;
  accessKeySecret?: string;
}

const DEMO = { accessKeyId: "demo-access-key-id", accessKeySecret: "demo-access-key-secret" };

/** `InstanceId` → `instanceId`, as the generated request models name their fields. */
function camel(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params))
    out[k.startsWith("SSL") ? k : k[0].toLowerCase() + k.slice(1)] = v;
  return out;
}

const GENERATED: Record<string, [string, new (m: Record<string, string>) => unknown]> = {
  DescribeInstanceAttribute: ["describeInstanceAttribute", kv.DescribeInstanceAttributeRequest],
  DescribeInstanceSSL: ["describeInstanceSSL", kv.DescribeInstanceSSLRequest],
  ModifyInstanceSSL: ["modifyInstanceSSL", kv.ModifyInstanceSSLRequest],
  AllocateDirectConnection: ["allocateDirectConnection", kv.AllocateDirectConnectionRequest],
  ReleaseDirectConnection: ["releaseDirectConnection", kv.ReleaseDirectConnectionRequest],
  DescribeDBInstanceNetInfo: ["describeDBInstanceNetInfo", kv.DescribeDBInstanceNetInfoRequest],
};

/** The generated R-kvstore client: host only (`127.0.0.1:PORT`), as its docs show. */
function generated(signatureAlgorithm?: "v2") {
  return (endpoint: string, key: AliKey = {}): AliCall => {
    const client = new Kvstore(
      new OpenApi.Config({
        ...DEMO,
        ...key,
        endpoint: new URL(endpoint).host,
        protocol: "http",
        regionId: "cn-hangzhou",
        signatureAlgorithm,
      }),
    );
    return async (action, params) => {
      const [method, Request] = GENERATED[action];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const res = await (client as any)[method](new Request(camel(params)));
      // The SDK's model keeps the wire names in `toMap()`.
      return res.body.toMap();
    };
  };
}

/** `@alicloud/openapi-client` `callApi` with RPC params, as the generic-call docs show. */
function generic(signatureAlgorithm?: "v2") {
  return (endpoint: string, key: AliKey = {}): AliCall => {
    const client = new OpenApi.default(
      new OpenApi.Config({
        ...DEMO,
        ...key,
        endpoint: new URL(endpoint).host,
        protocol: "http",
        signatureAlgorithm,
      }),
    );
    return async (action, params) => {
      const res = await client.callApi(
        new OpenApi.Params({
          action,
          version: "2015-01-01",
          protocol: "HTTP",
          pathname: "/",
          method: "POST",
          authType: "AK",
          style: "RPC",
          reqBodyType: "formData",
          bodyType: "json",
        }),
        new OpenApi.OpenApiRequest({ query: { RegionId: "cn-hangzhou", ...params } }),
        new RuntimeOptions({}),
      );
      return res.body;
    };
  };
}

/** `@alicloud/pop-core` (v1 RPC): the endpoint as a URL, GET or POST. */
function popCore(method: "GET" | "POST") {
  return (endpoint: string, key: AliKey = {}): AliCall => {
    const client = new RPCClient({ ...DEMO, ...key, endpoint, apiVersion: "2015-01-01" });
    return (action, params) =>
      client.request(action, { RegionId: "cn-hangzhou", ...params }, { method, formatParams: false });
  };
}

/** Every client configuration, by name. */
export const ALI_CLIENTS: [string, (endpoint: string, key?: AliKey) => AliCall][] = [
  ["r-kvstore20150101 (ACS3-HMAC-SHA256)", generated()],
  ["r-kvstore20150101 (HMAC-SHA1, signatureAlgorithm v2)", generated("v2")],
  ["openapi-client callApi (ACS3-HMAC-SHA256)", generic()],
  ["openapi-client callApi (HMAC-SHA1, v2)", generic("v2")],
  ["pop-core (v1 RPC, GET)", popCore("GET")],
  ["pop-core (v1 RPC, POST)", popCore("POST")],
];

/** The Alibaba error code carried by an SDK's error (`code`, or `data.Code`). */
export function aliErrorCode(e: unknown): string {
  const err = e as { code?: string; data?: { Code?: string } };
  return err.data?.Code ?? err.code ?? String(e);
}
