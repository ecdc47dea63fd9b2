/**
 * The `DescribeInstanceAttribute` answer of an emulated Tair instance: the fields a user looks at
 * (engine, name, class, capacity, zone, charge type, create time, tags...) with the types of the
 * official SDK's model (`DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute`):
 * numbers for `Capacity`, `Port`, `ShardCount`, `Bandwidth`, `Connections`, `QPS`; booleans for
 * `IsRds`, `InstanceReleaseProtection`; `Tags.Tag[]` of `{Key, Value}`. Also the
 * `DescribeDBInstanceNetInfo` answer.
 */

/** The descriptive fields of an instance a seed may set (defaults follow its architecture). */
export interface AlicloudInstanceProfile {
  /** Display name (default: derived from the id). */
  instanceName?: string;
  /** Instance class (default `redis.shard.small.2.ce` for a cluster, `redis.master.small.default` else). */
  instanceClass?: string;
  /** Memory in MB (default 1024 per shard). */
  capacity?: number;
  /** Zone (default `<region>-h`). */
  zoneId?: string;
  /** `PrePaid` (subscription) or `PostPaid` (pay-as-you-go, the default). */
  chargeType?: "PrePaid" | "PostPaid";
  /** Creation time, `yyyy-MM-ddTHH:mm:ssZ` (default 2024-01-0NT08:00:00Z). */
  createTime?: string;
  /** Tags (default none). */
  tags?: Record<string, string>;
}

/** The fields an instance is described by, shared by the store's record and the answer's source. */
export interface AlicloudInstanceFields extends AlicloudInstanceProfile {
  instanceId: string;
  architecture: "cluster" | "standard" | "rwsplit";
  networkType: "VPC" | "CLASSIC";
  engineVersion: string;
  shards: number;
  regionId: string;
  vpcId?: string;
  vSwitchId?: string;
}

/** What the answer is built from. */
export interface AttributeSource extends AlicloudInstanceFields {
  index: number;
  /** The direct connection, when one exists (no IPs until its allocation completes). */
  direct?: { prefix: string; port: number; ips: string[] };
}

/** One `Instances.DBInstanceAttribute[]` entry. */
export function instanceAttribute(
  i: AttributeSource,
  status: string,
  domain: string,
): Record<string, unknown> {
  const cluster = i.architecture === "cluster";
  const shards = cluster ? i.shards : 1;
  const capacity = i.capacity ?? 1024 * shards;
  const chargeType = i.chargeType ?? "PostPaid";
  const createTime = i.createTime ?? `2024-01-${String((i.index % 28) + 1).padStart(2, "0")}T08:00:00Z`;
  return {
    InstanceId: i.instanceId,
    InstanceName: i.instanceName ?? `demo ${i.instanceId}`,
    InstanceStatus: status,
    InstanceType: "Redis",
    Engine: "Redis",
    EngineVersion: i.engineVersion,
    ArchitectureType: i.architecture,
    InstanceClass: i.instanceClass ?? (cluster ? "redis.shard.small.2.ce" : "redis.master.small.default"),
    RealInstanceClass: "",
    Capacity: capacity,
    ShardCount: shards,
    Bandwidth: 96 * shards,
    Connections: 20000 * shards,
    QPS: 100000 * shards,
    NodeType: "double",
    ReplicaCount: 1,
    ReadOnlyCount: 0,
    PackageType: "standard",
    ChargeType: chargeType,
    CreateTime: createTime,
    EndTime: chargeType === "PrePaid" ? "2099-12-31T16:00:00Z" : "",
    RegionId: i.regionId,
    ZoneId: i.zoneId ?? `${i.regionId}-h`,
    NetworkType: i.networkType,
    VpcId: i.vpcId ?? "",
    VSwitchId: i.vSwitchId ?? "",
    PrivateIp: i.networkType === "VPC" ? `10.${i.index}.0.10` : "",
    ConnectionDomain: `${i.instanceId}.${domain}`,
    Port: 6379,
    VpcAuthMode: "Open",
    SecurityIPList: "127.0.0.1",
    ResourceGroupId: "rg-acfmdemo0000001",
    MaintainStartTime: "18:00Z",
    MaintainEndTime: "22:00Z",
    IsRds: true,
    InstanceReleaseProtection: false,
    HasRenewChangeOrder: "false",
    Config: JSON.stringify({ EvictionPolicy: "volatile-lru", "hash-max-ziplist-entries": 512 }),
    Tags: { Tag: Object.entries(i.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) },
  };
}

/** The `DescribeDBInstanceNetInfo` body: the default endpoint, then one entry per shard primary of the direct endpoint. */
export function netInfo(i: AttributeSource, domain: string): Record<string, unknown> {
  const items: Record<string, unknown>[] = [
    {
      ConnectionString: `${i.instanceId}.${domain}`,
      IPAddress: `10.${i.index}.0.10`,
      Port: "6379",
      IPType: i.networkType === "VPC" ? "Private" : "Inner",
      DBInstanceNetType: i.networkType === "VPC" ? "2" : "1",
      VPCId: i.vpcId ?? "",
      VSwitchId: i.vSwitchId ?? "",
      DirectConnection: 0,
    },
  ];
  for (const ip of i.direct?.ips ?? []) {
    items.push({
      ConnectionString: `${i.direct!.prefix}.${domain}`,
      IPAddress: ip,
      Port: String(i.direct!.port),
      IPType: "Private",
      DBInstanceNetType: "2",
      VPCId: i.vpcId ?? "",
      VSwitchId: i.vSwitchId ?? "",
      DirectConnection: 1,
    });
  }
  return { InstanceNetworkType: i.networkType, NetInfoItems: { InstanceNetInfo: items } };
}
