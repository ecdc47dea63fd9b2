/**
 * The plugin face through the real Pulumi engine, against the emulator: a Node.js program with no
 * SDK registers `pulumi.CustomResource`s by token (`managed-redis:<cloud>:<Type>`), and Pulumi.yaml
 * names the launcher folder (`plugins: providers:`, `node_modules/pulumi-managed-redis/bin`).
 *
 * - all six types (two KakaoCloud clusters, a KakaoShard and a KakaoReplica on one of them, Tair
 *   direct connection and SSL, DCS SSL): up → refresh → preview --expect-no-changes → destroy;
 * - `pulumi import` of each of the six into a second stack, then a program that declares them with
 *   inputs no cloud reports (the cluster's `user.password`, `timeouts`, `leaveOnDestroy`,
 *   `certificateRotation`) previews with no change, and a new `description` previews as an update;
 * - customTimeouts reach the plugin (a 10 ms create timeout beats `timeouts.create: "10m"`), and
 *   credentials set only in the stack configuration (`managed-redis:*`) reach it.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { promisify } from "node:util";
import { startEmulator, type Emulator, type HuaweicloudModule, type KakaocloudModule } from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
import { pluginProject, type ResourceSpec } from "../helpers/plugin-project";
import {
  credentialsInStackConfig,
  failureOf,
  pulumiBin,
  stateFileText,
  testStackIn,
  type TestStack,
} from "../helpers/pulumi";
import { changesOf } from "../helpers/steps";

jest.setTimeout(900_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const run = promisify(execFile);

const PASSWORD = "plugin-face-password-1";
const T = {
  cluster: "managed-redis:kakaocloud:KakaoRedisCluster",
  shard: "managed-redis:kakaocloud:KakaoShard",
  replica: "managed-redis:kakaocloud:KakaoReplica",
  direct: "managed-redis:alicloud:TairDirectConnection",
  tls: "managed-redis:alicloud:InstanceSSL",
  dcs: "managed-redis:huaweicloud:DcsInstanceSSL",
};

const clusterProps = (name: string, description: string) => ({
  name,
  description,
  version: "7.2.6",
  port: 6379,
  shardCount: 1,
  nodeCountPerShard: 2,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-e2e",
  subnets: [{ id: "subnet-a" }, { id: "subnet-b" }],
  subnetAssignments: [{ primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] }],
  securityGroups: [{ id: "sg-e2e" }],
  user: { name: "app", password: PASSWORD },
  tlsEnabled: true,
});

/** The first stack's program: every type once (the host cluster carries the shard and replica). */
const SPECS: ResourceSpec[] = [
  {
    type: T.cluster,
    name: "plain",
    props: { ...clusterProps("pf-plain", "first"), timeouts: { create: "20m" } },
  },
  { type: T.cluster, name: "host", props: clusterProps("pf-host", "host"), outputs: ["shards"] },
  {
    type: T.shard,
    name: "shard",
    props: {
      clusterId: "ref:host.id",
      nodeCount: 2,
      subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      timeouts: { create: "30m" },
    },
    outputs: ["shardId", "status"],
  },
  {
    type: T.replica,
    name: "replica",
    props: { clusterId: "ref:host.id", shardId: "ref:host.shards.0.id", subnetId: "subnet-a" },
    outputs: ["nodeId", "status"],
  },
  {
    type: T.direct,
    name: "direct",
    props: { instanceId: "r-demo-cluster-01", connectionStringPrefix: "pfdirect01", port: 6379 },
    outputs: ["connectionString"],
  },
  {
    type: T.tls,
    name: "tls",
    props: { instanceId: "r-demo-standard-01", enabled: true, certificateRotation: "2026-01" },
    outputs: ["sslEnabled"],
  },
  {
    type: T.dcs,
    name: "ssl",
    props: { instanceId: HUAWEI_DEMO.sslInstanceId, enabled: true },
    outputs: ["domainName"],
  },
];

let emu: Emulator;
let workDir: string;

async function setResources(t: TestStack, specs: ResourceSpec[]): Promise<void> {
  await t.stack.setConfig("resources", { value: JSON.stringify(specs) });
}

/** Runs the CLI in the project for the stack (what the Automation API of 3.248 has no call for). */
async function cli(t: TestStack, args: string[]): Promise<string> {
  const { stdout, stderr } = await run("pulumi", [...args, "--stack", t.stack.name, "--non-interactive"], {
    cwd: workDir,
    env: t.env,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

const kakao = () => emu.clouds.kakaocloud as KakaocloudModule;
const dcs = () => emu.clouds.huaweicloud as HuaweicloudModule;

describeE2E("the provider plugin through the Pulumi engine", () => {
  let a: TestStack;
  let ids: Record<string, string>;

  beforeAll(async () => {
    emu = await startEmulator({
      kakaocloud: { settleMs: { default: 200 } },
      alicloud: { settleMs: { default: 200 } },
      huaweicloud: { settleMs: { sslJob: 200 } },
    });
    workDir = pluginProject();
    a = await testStackIn(workDir, emu, bin!);
    await setResources(a, SPECS);
  });
  afterAll(async () => {
    await a?.cleanup();
    await emu?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("creates all six types from the launcher that Pulumi.yaml names", async () => {
    const res = await a.stack.up();
    expect(res.summary.result).toBe("succeeded");
    // The stack, the default provider is not counted, and the seven resources.
    expect(changesOf(res.summary)).toEqual({ create: 8 });
    ids = res.outputs.ids.value as Record<string, string>;
    const outs = res.outputs.outs.value as Record<string, Record<string, unknown>>;
    expect(outs.shard.status).toBe("Running"); // the plugin's create waited for the migration
    expect(outs.replica.status).toBe("Running");
    expect(outs.tls.sslEnabled).toBe(true);
    expect(outs.ssl.domainName).toContain(HUAWEI_DEMO.sslInstanceId);
    expect(kakao().live()).toEqual({ cluster: 2, shard: 1, replica: 1 });
    expect(emu.clouds.alicloud.live()).toEqual({ directConnection: 1, sslEnabled: 1 });
    expect(dcs().instance(HUAWEI_DEMO.sslInstanceId)?.sslEnabled).toBe(true);
    const state = stateFileText(a);
    expect(state).toContain("managed-redis:kakaocloud:KakaoReplica"); // the state file was found
    expect(state).not.toContain("__provider");
    expect(state).not.toContain(PASSWORD); // user: a secret input and output of the cluster, encrypted
  });

  it("refreshes with no changes, then previews with no changes", async () => {
    const refresh = await a.stack.refresh();
    expect(changesOf(refresh.summary)).toEqual({});
    const preview = await cli(a, ["preview", "--expect-no-changes"]);
    expect(preview).toMatch(/8 unchanged/);
  });

  describe("pulumi import", () => {
    let b: TestStack;
    beforeAll(async () => {
      b = await testStackIn(workDir, emu, bin!);
    });
    afterAll(async () => {
      await b?.cleanup(); // the state only: stack A destroys the cloud objects
    });

    it("imports each of the six types by id", async () => {
      for (const name of ["plain", "shard", "replica", "direct", "tls", "ssl"]) {
        const type = SPECS.find((s) => s.name === name)!.type;
        const out = await cli(b, [
          "import",
          type,
          name,
          ids[name],
          "--yes",
          "--skip-preview",
          "--generate-code=false",
        ]);
        expect(out).toMatch(/1 imported/);
      }
      const state = (await b.stack.exportStack()).deployment as { resources: { type: string }[] };
      expect(
        state.resources
          .map((r) => r.type)
          .filter((t) => t.startsWith("managed-redis:"))
          .sort(),
      ).toEqual(Object.values(T).sort());
    });

    it("previews no change for a program with inputs no cloud reports, and an update for a real change", async () => {
      const host = ids.host;
      const hostShard = (await a.stack.outputs()).outs.value.host.shards[0].id as string;
      const specs = SPECS.filter((s) => s.name !== "host").map((s) => {
        const props = JSON.parse(
          JSON.stringify(s.props)
            .replaceAll('"ref:host.id"', JSON.stringify(host))
            .replaceAll('"ref:host.shards.0.id"', JSON.stringify(hostShard)),
        );
        return { ...s, props: { ...props, timeouts: { create: "45m", delete: "45m" } } };
      });
      specs.find((s) => s.name === "ssl")!.props.leaveOnDestroy = true;
      specs.find((s) => s.name === "tls")!.props.leaveOnDestroy = true;
      specs.find((s) => s.name === "plain")!.props.adopt = false;
      await setResources(b, specs);
      const same = await cli(b, ["preview", "--expect-no-changes"]);
      expect(same).toMatch(/7 unchanged|6 unchanged/);

      specs.find((s) => s.name === "plain")!.props.description = "second";
      await setResources(b, specs);
      const changed = await b.stack.preview();
      expect(changed.changeSummary).toMatchObject({ update: 1 });
    });
  });

  it("destroys: clusters, shard and replica deleted, SSL off, the direct connection released", async () => {
    const res = await a.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(kakao().live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
    expect(emu.clouds.alicloud.live()).toEqual({ directConnection: 0, sslEnabled: 0 });
    expect(dcs().instance(HUAWEI_DEMO.sslInstanceId)?.sslEnabled).toBe(false);
  });

  describe("customTimeouts and credentials from the stack configuration", () => {
    let c: TestStack;
    let instanceId: string;
    beforeAll(async () => {
      instanceId = dcs().addInstance({ name: "dcs-plugin-timeouts", engineVersion: "6.0" });
      c = await testStackIn(workDir, emu, bin!);
      await credentialsInStackConfig(c, emu, "huaweicloud");
    });
    afterAll(async () => {
      await c?.cleanup();
    });

    it("a 10 ms customTimeouts create beats timeouts.create of 10 minutes", async () => {
      const spec: ResourceSpec = {
        type: T.dcs,
        name: "ssl",
        props: { instanceId, enabled: true, timeouts: { create: "10m" } },
        customTimeouts: { create: "10ms" },
      };
      await setResources(c, [spec]);
      const failure = await failureOf(c.stack.up());
      expect(failure).toMatch(/timed out after 0s waiting for/);
      // Without customTimeouts the next up finishes the job (credentials from the configuration only).
      await setResources(c, [{ ...spec, customTimeouts: undefined }]);
      const res = await c.stack.up();
      expect(res.summary.result).toBe("succeeded");
      expect(dcs().instance(instanceId)?.sslEnabled).toBe(true);
      await c.stack.destroy();
      expect(dcs().instance(instanceId)?.sslEnabled).toBe(false);
    });
  });
});
