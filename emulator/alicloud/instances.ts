/**
 * The emulated Tair instances and the six R-kvstore actions on them, with the documented
 * preconditions and error codes. Asynchronous changes move the instance to `SSLModifying` or
 * `NetworkModifying` and complete when their settle time has passed (evaluated lazily on every
 * request, so no timers outlive the emulator).
 *
 * Two conflicts are not published with an error code; the emulator answers them with codes of its
 * own, in Alibaba's style: `SSLEnabled.NotSupport` (AllocateDirectConnection while SSL is on) and
 * `DirectConnection.NotSupport` (ModifyInstanceSSL Enable while a direct connection exists).
 */
import { Realism } from "../realistic";
import type { SettleTimes } from "../server";
import { type RefusalSeed, type RefusalState, refusalOf, refusalState } from "./refusals";
import {
  type AlicloudInstanceFields,
  type AlicloudInstanceProfile,
  instanceAttribute,
  netInfo,
} from "./attribute";

export type { AlicloudInstanceProfile };

/** How an instance starts in the emulator (what it refuses: {@link RefusalSeed}, `./refusals.ts`). */
export interface AlicloudInstanceSeed extends AlicloudInstanceProfile, RefusalSeed {
  instanceId: string;
  /** `cluster` (default), `standard` or `rwsplit`. */
  architecture?: "cluster" | "standard" | "rwsplit";
  /** `VPC` (default) or `CLASSIC`. */
  networkType?: "VPC" | "CLASSIC";
  /** Redis compatibility version (default `5.0`). */
  engineVersion?: string;
  /** Shards of a cluster (default 2): one direct-connection IP each. */
  shards?: number;
  sslEnabled?: boolean;
  status?: string;
  regionId?: string;
}

/** Default demo instances. */
export const DEMO_INSTANCES: AlicloudInstanceSeed[] = [
  {
    instanceId: "r-demo-cluster-01",
    architecture: "cluster",
    networkType: "VPC",
    engineVersion: "5.0",
    shards: 2,
  },
  {
    instanceId: "r-demo-cluster-02",
    architecture: "cluster",
    networkType: "VPC",
    engineVersion: "5.0",
    shards: 4,
    instanceName: "orders cache",
    chargeType: "PrePaid",
    tags: { env: "demo", team: "payments" },
  },
  { instanceId: "r-demo-standard-01", architecture: "standard", networkType: "VPC", engineVersion: "5.0" },
  {
    instanceId: "r-demo-classic-01",
    architecture: "cluster",
    networkType: "CLASSIC",
    engineVersion: "5.0",
    shards: 2,
  },
];

interface DirectConnection {
  prefix: string;
  port: number;
  ips: string[];
}

interface Pending {
  kind: string;
  doneAt: number;
  /** Realistic profile: reads still show the previous status until then. */
  visibleAt?: number;
  finish(): void;
}

/** One emulated instance. */
export interface EmuInstance extends AlicloudInstanceFields {
  /** Settled status; `pending` overrides it while a change runs. */
  baseStatus: string;
  ssl: { enabled: boolean; expiredTime?: string; byApi: boolean; renewals: number };
  direct?: DirectConnection & { byApi: boolean };
  pending?: Pending;
  index: number;
  /** What the instance refuses for what it is (type, versions, lock, region, a background task). */
  refusals: RefusalState;
}

/** An API answer: HTTP status and body (an error when `code` is set). */
export type ActionResult =
  { status: 200; body: Record<string, unknown> } | { status: number; code: string; message: string };

const DOMAIN = "redis.rds.aliyuncs.com";
const PREFIX_RE = /^[a-z][a-z0-9]{7,39}$/;

function fault(status: number, code: string, message: string): ActionResult {
  return { status, code, message };
}

/** The instances and the actions. */
export class InstanceStore {
  readonly instances = new Map<string, EmuInstance>();
  readonly created: Record<string, number> = {
    directConnection: 0,
    sslEnable: 0,
    sslDisable: 0,
    sslUpdate: 0,
  };
  private taskSeq = 320000;

  constructor(
    seeds: AlicloudInstanceSeed[],
    private readonly settle: SettleTimes,
    private readonly realism: Realism = new Realism(),
  ) {
    seeds.forEach((s, index) => {
      const vpc = (s.networkType ?? "VPC") === "VPC";
      this.instances.set(s.instanceId, {
        instanceName: s.instanceName,
        instanceClass: s.instanceClass,
        capacity: s.capacity,
        zoneId: s.zoneId,
        chargeType: s.chargeType,
        createTime: s.createTime,
        tags: s.tags,
        instanceId: s.instanceId,
        architecture: s.architecture ?? "cluster",
        networkType: s.networkType ?? "VPC",
        engineVersion: s.engineVersion ?? "5.0",
        shards: s.shards ?? 2,
        regionId: s.regionId ?? "cn-hangzhou",
        vpcId: vpc ? `vpc-demo${String(index + 1).padStart(4, "0")}` : undefined,
        vSwitchId: vpc ? `vsw-demo${String(index + 1).padStart(4, "0")}` : undefined,
        baseStatus: s.status ?? "Normal",
        ssl: {
          enabled: s.sslEnabled ?? false,
          expiredTime: s.sslEnabled ? expiry(0) : undefined,
          byApi: false,
          renewals: 0,
        },
        index,
        refusals: refusalState(s),
      });
    });
  }

  /** Completes every change whose settle time has passed (or all of them with `force`). */
  advance(now = Date.now(), force = false): void {
    for (const inst of this.instances.values()) {
      if (inst.pending && (force || inst.pending.doneAt <= now)) {
        const p = inst.pending;
        inst.pending = undefined;
        p.finish();
      }
    }
  }

  /** The instance's true status (what the API checks preconditions against). */
  status(inst: EmuInstance): string {
    return inst.pending ? inst.pending.kind : inst.baseStatus;
  }

  /** The status a read reports: in the realistic profile a change is invisible for a moment. */
  reportedStatus(inst: EmuInstance): string {
    const p = inst.pending;
    return p?.visibleAt !== undefined && Date.now() < p.visibleAt ? inst.baseStatus : this.status(inst);
  }

  /** Puts an instance into a transitional status for a while (test hook). */
  setBusy(instanceId: string, status: string, ms: number): void {
    const inst = this.mustGet(instanceId);
    inst.pending = { kind: status, doneAt: Date.now() + ms, finish: () => undefined };
  }

  /** Flips SSL as if changed in the console (test hook for drift). */
  setSsl(instanceId: string, enabled: boolean): void {
    const inst = this.mustGet(instanceId);
    inst.ssl = {
      enabled,
      expiredTime: enabled ? expiry(inst.ssl.renewals) : undefined,
      byApi: false,
      renewals: inst.ssl.renewals,
    };
  }

  mustGet(instanceId: string): EmuInstance {
    const inst = this.instances.get(instanceId);
    if (!inst) throw new Error(`emulator: no instance ${instanceId}`);
    return inst;
  }

  private begin(inst: EmuInstance, kind: string, settleKind: string, finish: () => void): void {
    const settleMs = this.settle.get(settleKind);
    const lag = this.realism.statusLag(settleMs);
    inst.pending = {
      kind,
      doneAt: Date.now() + settleMs,
      finish,
      ...(lag > 0 ? { visibleAt: Date.now() + lag } : {}),
    };
  }

  /** Dispatches one action; `undefined` for an unknown action. */
  run(action: string, p: Record<string, string>): ActionResult | undefined {
    this.advance();
    const refused = (i: EmuInstance, word?: string) => refusalOf(i.refusals, i.engineVersion, action, word);
    switch (action) {
      case "DescribeInstanceAttribute":
        return this.withInstance(p, "InvalidInstanceId.NotFound", (i) => this.describeAttribute(i));
      case "DescribeDBInstanceNetInfo":
        return this.withInstance(p, "InvalidInstanceId.NotFound", (i) => this.describeNetInfo(i));
      case "DescribeInstanceSSL":
        return this.withInstance(p, "InvalidInstanceId.NotFound", (i) => refused(i) ?? this.describeSsl(i));
      case "ModifyInstanceSSL":
        return this.withInstance(
          p,
          "InvalidInstanceId.NotFound",
          (i) => refused(i, p.SSLEnabled) ?? this.modifySsl(i, p.SSLEnabled),
        );
      case "AllocateDirectConnection":
        return this.withInstance(
          p,
          "InvalidDbInstanceId.NotFound",
          (i) => refused(i) ?? this.allocate(i, p.ConnectionString, p.Port),
        );
      case "ReleaseDirectConnection":
        return this.withInstance(p, "InvalidDbInstanceId.NotFound", (i) => this.release(i));
      default:
        return undefined;
    }
  }

  private withInstance(
    p: Record<string, string>,
    notFound: string,
    fn: (i: EmuInstance) => ActionResult,
  ): ActionResult {
    if (!p.InstanceId)
      return fault(
        400,
        "MissingParameter",
        'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.',
      );
    const inst = this.instances.get(p.InstanceId);
    if (!inst) {
      return notFound === "InvalidInstanceId.NotFound"
        ? fault(404, notFound, "The InstanceId provided does not exist in our records.")
        : fault(404, notFound, "Specified instance does not exist.");
    }
    return fn(inst);
  }

  private describeAttribute(i: EmuInstance): ActionResult {
    const attribute = instanceAttribute(i, this.reportedStatus(i), DOMAIN);
    return { status: 200, body: { Instances: { DBInstanceAttribute: [attribute] } } };
  }

  private describeNetInfo(i: EmuInstance): ActionResult {
    return { status: 200, body: netInfo(i, DOMAIN) };
  }

  private describeSsl(i: EmuInstance): ActionResult {
    return {
      status: 200,
      body: {
        InstanceId: i.instanceId,
        SSLEnabled: i.ssl.enabled ? "Enable" : "Disable",
        SSLExpiredTime: i.ssl.enabled ? (i.ssl.expiredTime ?? "") : "",
        CertCommonName: `${i.instanceId}.${DOMAIN}`,
        CertDownloadURL: i.ssl.enabled
          ? `https://apsaradb-public.oss-cn-hangzhou.aliyuncs.com/ApsaraDB-CA-Chain.zip?instance=${i.instanceId}`
          : "",
      },
    };
  }

  private modifySsl(i: EmuInstance, value: string | undefined): ActionResult {
    if (value !== "Enable" && value !== "Disable" && value !== "Update") {
      return fault(
        400,
        "InvalidParameters.Format",
        "Specified parameters is not valid: SSLEnabled must be Enable, Disable or Update.",
      );
    }
    if (this.status(i) !== "Normal") {
      return fault(
        403,
        "IncorrectDBInstanceState",
        "Current DB instance state does not support this operation.",
      );
    }
    if (value === "Enable" && i.ssl.enabled)
      return fault(400, "SSLEnabledStateExistsFault", "SSL is already enabled on the instance.");
    if (value === "Disable" && !i.ssl.enabled)
      return fault(400, "SSLDisableStateExistsFault", "SSL is already disabled on the instance.");
    if (value === "Update" && !i.ssl.enabled)
      return fault(
        400,
        "SSLDisableStateExistsFault",
        "SSL is disabled: enable it before updating the certificate.",
      );
    if (value === "Enable" && i.direct) {
      return fault(
        403,
        "DirectConnection.NotSupport",
        "SSL encryption cannot be enabled while the instance has a direct connection.",
      );
    }
    const taskId = String(++this.taskSeq);
    this.begin(i, "SSLModifying", "modifySSL", () => {
      if (value === "Disable") i.ssl = { enabled: false, byApi: false, renewals: i.ssl.renewals };
      else {
        const renewals = i.ssl.renewals + (value === "Update" ? 1 : 0);
        i.ssl = {
          enabled: true,
          expiredTime: expiry(renewals),
          byApi: value === "Enable" ? true : i.ssl.byApi,
          renewals,
        };
      }
    });
    this.created[value === "Enable" ? "sslEnable" : value === "Disable" ? "sslDisable" : "sslUpdate"]++;
    return { status: 200, body: { InstanceId: i.instanceId, TaskId: taskId } };
  }

  private allocate(i: EmuInstance, prefix: string | undefined, portText: string | undefined): ActionResult {
    if (prefix !== undefined && !/^\w+$/.test(prefix)) {
      return fault(400, "InvalidConnectionString", "ConnectionString is invalid, valid regex: ^\\w+$");
    }
    if (prefix !== undefined && !PREFIX_RE.test(prefix)) {
      return fault(400, "InvalidConnectionString.Format", "Specified connection string is not valid.");
    }
    const port = portText === undefined ? 6379 : Number(portText);
    if (!/^\d+$/.test(portText ?? "6379") || port < 1024 || port > 65535) {
      return fault(
        400,
        "InvalidParameters.Format",
        "Specified parameters is not valid: Port must be 1024 to 65535.",
      );
    }
    if (i.architecture !== "cluster")
      return fault(400, "InvalidConnType", "Specified DB instance conn type is not valid.");
    if (i.networkType !== "VPC")
      return fault(400, "InvalidVPCParamGroup", "Specified vpc param group is not valid.");
    if (!["4.0", "5.0"].includes(i.engineVersion)) {
      return fault(403, "UnsupportedEngineVersion", "Current engine version does not support operations.");
    }
    if (this.status(i) !== "Normal")
      return fault(403, "InstanceStatus.NotSupport", "Instance status does not support this operation.");
    if (i.direct)
      return fault(
        400,
        "DirectConnectionAlreadyExists",
        "Specified instance direct connection already exists.",
      );
    if (i.ssl.enabled)
      return fault(
        403,
        "SSLEnabled.NotSupport",
        "Direct connection is not supported while SSL encryption is enabled.",
      );
    const chosen = prefix ?? `${i.instanceId.replace(/[^a-z0-9]/g, "")}direct`.replace(/^[^a-z]+/, "");
    for (const other of this.instances.values()) {
      const taken = other.direct?.prefix === chosen || other.instanceId === chosen;
      if (taken)
        return fault(
          400,
          "ConnectionStringAlreadyExists",
          "Specified connection string already exists in the Aliyun RDS.",
        );
    }
    const ips = Array.from({ length: i.shards }, (_, n) => `10.${i.index}.1.${11 + n}`);
    // The prefix is reserved at once (a second request for it fails), the endpoint appears when done.
    const reserved: DirectConnection & { byApi: boolean } = { prefix: chosen, port, ips: [], byApi: true };
    i.direct = reserved;
    this.begin(i, "NetworkModifying", "allocateDirect", () => {
      reserved.ips = ips;
    });
    this.created.directConnection++;
    return { status: 200, body: {} };
  }

  private release(i: EmuInstance): ActionResult {
    if (!i.direct) return fault(400, "NetTypeNotExists", "Specified net type not existed.");
    if (this.status(i) !== "Normal")
      return fault(403, "InstanceStatus.NotSupport", "Instance status does not support this operation.");
    this.begin(i, "NetworkModifying", "releaseDirect", () => {
      i.direct = undefined;
    });
    return { status: 200, body: {} };
  }
}

/** A certificate expiry one year out, shifted per renewal so that a renewal is visible. */
function expiry(renewals: number): string {
  const d = new Date(Date.UTC(2027, 0, 1, 0, 0, 0) + renewals * 86_400_000);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
