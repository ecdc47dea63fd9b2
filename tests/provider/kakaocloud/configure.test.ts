/**
 * `configure` of the KakaoCloud member providers (KakaoShard, KakaoReplica, KakaoMemberSettled): each
 * hands the stack configuration to the settings. The cluster's: cluster.units.test.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setting, setStackConfig } from "../../../provider/core/config";
import { provider as replica } from "../../../provider/kakaocloud/replica";
import { provider as settled } from "../../../provider/kakaocloud/settled";
import { provider as shard } from "../../../provider/kakaocloud/shard";

afterEach(() => setStackConfig(undefined));

const providers: [string, pulumi.dynamic.ResourceProvider][] = [
  ["KakaoShard", shard],
  ["KakaoReplica", replica],
  ["KakaoMemberSettled", settled],
];

it.each(providers)("%s: configure hands the stack configuration to the settings", async (name, provider) => {
  const region = `kr-${name}`;
  await provider.configure!({
    config: { get: (k: string) => (k === "managed-redis:kakaoRegion" ? region : undefined) },
  } as never);
  expect(setting("kakaoRegion", [])).toBe(region);
});
