/**
 * The short, fixed-seed versions of `npm run chaos`, through the real Pulumi engine (the compiled
 * package in lib/, as `npm test` builds it): one fault run (create, update and destroy of every
 * resource type under the fault mix) and four interruptions (`pulumi up` killed while the cluster
 * is being created, during an update, and, recovered on a fresh runner (a new PULUMI_HOME), during a
 * shard's slot migration and during a resharding update; then cancel + refresh + up). A resharding
 * update killed after an accepted addition leaves that member unowned: reported, never adopted.
 */
import { pulumiBin } from "../helpers/pulumi";

const { faultRun, interruptionRun } = require("../../scripts/chaos/runs.js") as {
  faultRun(o: { seed: number; rate: number; log?: (l: string) => void }): Promise<FaultRunResult>;
  interruptionRun(o: {
    seed: number;
    phase: "create" | "update" | "reshard";
    killPoint?: { after: string; delayMs: number };
    freshRunner?: boolean;
    kakaoSettle?: Record<string, number>;
    log?: (l: string) => void;
  }): Promise<InterruptionResult>;
};

interface FaultRunResult {
  converged: boolean;
  unabsorbed: { step: string; errors: string[] }[];
  faultsInjected: number;
  faultsAbsorbed: number;
  steps: { name: string; ok: boolean }[];
  duplicates: Record<string, number>;
  leftovers: Record<string, unknown>;
  created: Record<string, number>;
}

interface InterruptionResult {
  converged: boolean;
  killedDuring?: string;
  error?: string;
  steps: { name: string; code: number }[];
  duplicates?: Record<string, number>;
  adopted?: string[];
  unowned?: Record<string, number>;
  claimedTwice?: string[];
  afterRecovery?: Record<string, unknown>;
  leftovers?: Record<string, unknown>;
  created?: Record<string, number>;
}

jest.setTimeout(300_000);

const bin = pulumiBin();
const describeEngine = bin ? describe : describe.skip;
const log = (line: string) => process.stdout.write(`${line}\n`);

describeEngine("chaos through the Pulumi engine (fixed seeds)", () => {
  it("deploys, updates and destroys every resource type under the fault mix: all absorbed, nothing twice, nothing left", async () => {
    const r = await faultRun({ seed: 7, rate: 0.15, log });
    expect(r.unabsorbed).toEqual([]);
    expect(r.steps.map((s) => [s.name, s.ok])).toEqual([
      ["create", true],
      ["update", true],
      ["destroy", true],
    ]);
    expect(r.converged).toBe(true);
    expect(r.faultsInjected).toBeGreaterThan(5);
    expect(r.faultsAbsorbed).toBe(r.faultsInjected);
    expect(r.duplicates).toEqual({});
    expect(r.leftovers).toEqual({});
    expect(r.created).toMatchObject({
      "kakaocloud:cluster": 1,
      "kakaocloud:shard": 1,
      "kakaocloud:replica": 2,
      "alicloud:directConnection": 1,
    });
  });

  it("recovers from `pulumi up` killed while the cluster is being created: no duplicate, no orphan", async () => {
    const r = await interruptionRun({
      seed: 1,
      phase: "create",
      killPoint: { after: "createCluster", delayMs: 700 },
      log,
    });
    expect(r.error).toBeUndefined();
    expect(r.killedDuring).toBe("700 ms after createCluster");
    expect(r.steps.map((s) => [s.name, s.code === 0])).toEqual([
      ["up (killed)", false],
      ["cancel", true],
      ["refresh", true],
      ["up (recover)", true],
      ["destroy", true],
    ]);
    expect(r.afterRecovery).toEqual({});
    expect(r.duplicates).toEqual({});
    expect(r.leftovers).toEqual({});
    expect(r.created?.["kakaocloud:cluster"]).toBe(1);
    expect(r.converged).toBe(true);
  });

  it("a fresh runner recovers from `pulumi up` killed 2.5 s into a shard's slot migration: the shard was in the state, nothing added twice", async () => {
    // The add-shard call landed and the shard's create returned its id (the state has it); the run
    // is killed while the shard's KakaoMemberSettled child waits for the 4-second migration.
    const r = await interruptionRun({
      seed: 3,
      phase: "create",
      freshRunner: true,
      killPoint: { after: "addShard", delayMs: 2500 },
      kakaoSettle: { addShard: 4000 },
      log,
    });
    expect(r.error).toBeUndefined();
    expect(r.killedDuring).toBe("2500 ms after addShard");
    expect(r.steps.map((s) => s.name)).toEqual([
      "up (killed)",
      "stack select",
      "cancel",
      "refresh",
      "up (recover)",
      "destroy",
    ]);
    expect(r.steps.every((s) => s.name === "up (killed)" || s.code === 0)).toBe(true);
    expect(r.adopted).toEqual([]);
    expect(r.claimedTwice).toEqual([]);
    expect(r.afterRecovery).toEqual({});
    expect(r.duplicates).toEqual({});
    expect(r.leftovers).toEqual({});
    expect(r.created?.["kakaocloud:shard"]).toBe(1);
    expect(r.converged).toBe(true);
  });

  it("a fresh runner recovers from `pulumi up` killed during a resharding update: the killed run's additions are reported unowned, never adopted, none made twice", async () => {
    const r = await interruptionRun({
      seed: 4,
      phase: "reshard",
      freshRunner: true,
      killPoint: { after: "addShard", delayMs: 1500 },
      kakaoSettle: { addShard: 4000, addReplica: 1000 },
      log,
    });
    expect(r.error).toBeUndefined();
    expect(r.killedDuring).toBe("1500 ms after addShard");
    expect(r.steps.every((s) => s.name === "up (killed)" || s.code === 0)).toBe(true);
    expect(r.adopted).toEqual([]);
    // The killed update had added a replica to each of the two shards and the new shard, and never
    // returned: no state names them. They stay in the cluster, reported in its foreignMembers; the
    // recovering update adds the cluster's own members.
    expect(r.unowned).toEqual({ "kakaocloud:shard": 1, "kakaocloud:replica": 2 });
    expect(r.claimedTwice).toEqual([]);
    // Nothing deleted unasked: what lives is what the stack declares plus the unowned additions.
    expect(r.afterRecovery).toEqual({});
    expect(r.duplicates).toEqual({});
    expect(r.leftovers).toEqual({});
    expect(r.created).toMatchObject({ "kakaocloud:shard": 3, "kakaocloud:replica": 5 });
    expect(r.converged).toBe(true);
  });

  it("recovers from `pulumi up` killed in the middle of an update: converges to the new declaration", async () => {
    // 300 ms after the cluster's PATCH: the cluster is Modifying (1.5 s), so the new replica waits and
    // has not been requested yet; the Tair certificate renewal and the DCS SSL change may be running.
    const r = await interruptionRun({
      seed: 2,
      phase: "update",
      killPoint: { after: "updateCluster", delayMs: 300 },
      log,
    });
    expect(r.error).toBeUndefined();
    expect(r.killedDuring).toBe("300 ms after updateCluster");
    expect(r.steps.every((s) => s.name === "up (killed)" || s.code === 0)).toBe(true);
    expect(r.afterRecovery).toEqual({});
    expect(r.duplicates).toEqual({});
    expect(r.leftovers).toEqual({});
    expect(r.converged).toBe(true);
  });
});
