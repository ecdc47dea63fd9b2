import type { ResourceValidationPolicy } from "@pulumi/policy";
import { integerSetting } from "./config";
import { isType, label } from "./resources";
import { Unknowns, plainProps, plural, readNumber } from "./values";

/** Configuration of {@link redisReplicasPerShard}. */
export interface RedisReplicasPerShardConfig {
  /** The fewest replicas each shard must have; default 1. */
  minReplicas?: number;
}

/** The default of `minReplicas`: one replica per shard, so that a primary can fail over. */
export const DEFAULT_MIN_REPLICAS = 1;

/**
 * `redis-replicas-per-shard` (advisory): every KakaoCloud shard has at least `minReplicas` replicas
 * (default 1), so that a replica can take over when a primary fails: `nodeCountPerShard - 1` for a
 * `KakaoRedisCluster`, `nodeCount - 1` for a `KakaoShard`. Replicas added later with `KakaoReplica`
 * resources are not counted: the policy judges the node counts the shards are created with.
 */
export const redisReplicasPerShard: ResourceValidationPolicy = {
  name: "redis-replicas-per-shard",
  description: "Each KakaoCloud Redis shard has at least minReplicas replica nodes (default 1) for failover.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      minReplicas: {
        type: "integer",
        minimum: 0,
        default: DEFAULT_MIN_REPLICAS,
        description: "The fewest replica nodes each shard must have.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const field = isType(args, "KakaoRedisCluster")
      ? "nodeCountPerShard"
      : isType(args, "KakaoShard")
        ? "nodeCount"
        : undefined;
    if (field === undefined)
      return args.notApplicable("only KakaoRedisCluster and KakaoShard have replicas per shard");
    const minReplicas = integerSetting(
      args.getConfig<RedisReplicasPerShardConfig>().minReplicas,
      DEFAULT_MIN_REPLICAS,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    const unknowns = new Unknowns();
    const nodes = readNumber(plainProps(args.props)[field]);
    if (!nodes.known) {
      if (!nodes.missing)
        unknowns.note(
          `The ${field} of ${label(args)} is not known yet, so its replicas cannot be counted during preview.`,
        );
    } else if (nodes.value - 1 < minReplicas) {
      const perShard = field === "nodeCountPerShard" ? " per shard" : "";
      reportViolation(
        `${label(args)} has ${field} ${nodes.value}, that is ${plural(nodes.value - 1, "replica")}${perShard}; ` +
          `this policy asks for at least ${minReplicas} (minReplicas). Set ${field} to at least ${minReplicas + 1} ` +
          "so that a replica can take over when a primary fails.",
      );
    }
    unknowns.finish();
  },
};
