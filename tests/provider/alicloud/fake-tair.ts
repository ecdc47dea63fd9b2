/**
 * A scripted stand-in for {@link AlicloudClient} (only the calls the Alibaba resources' helpers make),
 * recording every call.
 */
import { CloudError } from "../../../provider/core/errors";
import type {
  AlicloudClient,
  InstanceAttribute,
  InstanceNetInfo,
  SslInfo,
} from "../../../provider/alicloud/client";
import { alicloudError } from "../../../provider/alicloud/errors";
import type { VirtualClock } from "../../helpers/time";

/** What the fake answers; each hook gets the 1-based number of the call of its kind. */
export interface TairScript {
  /** Instance status of the n-th DescribeInstanceAttribute (default "Normal"); may throw. */
  status?: (n: number) => string;
  /** Net info of the n-th DescribeDBInstanceNetInfo (default none). */
  net?: (n: number) => InstanceNetInfo[];
  /** Whether SSL is on (default false). */
  ssl?: boolean;
  /** Answer of the n-th AllocateDirectConnection: throw to fail it (default: accepted). */
  allocate?: (n: number, args: { instanceId: string; connectionString?: string; port?: number }) => void;
  /** Milliseconds the virtual clock moves on each DescribeInstanceAttribute (default 0). */
  skewPerStatusMs?: number;
}

/** The fake client and what it was asked. */
export class FakeTair {
  readonly calls: string[] = [];
  readonly allocations: { instanceId: string; connectionString?: string; port?: number }[] = [];
  private readonly n = { status: 0, net: 0, allocate: 0 };

  constructor(
    private readonly script: TairScript = {},
    private readonly clock?: VirtualClock,
  ) {}

  count(op: string): number {
    return this.calls.filter((c) => c === op).length;
  }

  get client(): AlicloudClient {
    const fake = {
      describeInstanceAttribute: async (instanceId: string): Promise<InstanceAttribute> => {
        this.calls.push("DescribeInstanceAttribute");
        this.clock?.advance(this.script.skewPerStatusMs ?? 0);
        const status = this.script.status?.(++this.n.status) ?? "Normal";
        return { InstanceId: instanceId, InstanceStatus: status };
      },
      describeDBInstanceNetInfo: async (): Promise<InstanceNetInfo[]> => {
        this.calls.push("DescribeDBInstanceNetInfo");
        return this.script.net?.(++this.n.net) ?? [];
      },
      describeInstanceSSL: async (): Promise<SslInfo> => {
        this.calls.push("DescribeInstanceSSL");
        return { enabled: this.script.ssl ?? false } as SslInfo;
      },
      allocateDirectConnection: async (args: {
        instanceId: string;
        connectionString?: string;
        port?: number;
      }) => {
        this.calls.push("AllocateDirectConnection");
        this.allocations.push(args);
        this.script.allocate?.(++this.n.allocate, args);
        return { RequestId: "REQ" };
      },
    };
    return fake as unknown as AlicloudClient;
  }
}

/** One direct endpoint entry of DescribeDBInstanceNetInfo. */
export function directNet(prefix: string, port = 6379, ips = "10.0.0.2"): InstanceNetInfo[] {
  return [
    { ConnectionString: `${prefix}.redis.rds.aliyuncs.com`, Port: port, IPAddress: ips, DirectConnection: 1 },
  ];
}

/** An Alibaba error answer, mapped as the real client maps it. */
export function apiError(code: string, status = 400, operation = "AllocateDirectConnection r-1"): CloudError {
  return alicloudError(
    { status, headers: {}, text: "", body: { RequestId: "ERR", Code: code, Message: `injected ${code}` } },
    operation,
  );
}
