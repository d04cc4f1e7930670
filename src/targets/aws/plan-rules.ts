/**
 * How Pulumi's AWS provider applies changes, as far as plans need it: tags, sizes, counts, task
 * definitions, policies and rules change in place (a new task definition revision rolls the
 * service); a resource's name, engine, identifiers, subnet group, zone or VPC (its `immutable`) replaces it. Data
 * lives in databases, caches, brokers, object-store buckets and the generated passwords.
 */
import type { PlanRules } from '../../compiler/emit/target.js';
import type { AwsNode } from './model.js';

const DATA_KINDS = new Set(['aws.rds.Instance', 'aws.elasticache.ReplicationGroup', 'aws.docdb.Cluster', 'aws.docdb.ClusterInstance', 'aws.mq.Broker', 'random.RandomPassword', 'aws.secretsmanager.Secret', 'aws.secretsmanager.SecretVersion']);

export const awsPlanRules: PlanRules<AwsNode> = {
  inPlace(_node, field) {
    // `immutable` holds the arguments AWS cannot change on a live resource (model.ts).
    return !(field === 'id' || field === 'kind' || field === 'name' || field === 'immutable' || field.startsWith('immutable.'));
  },
  holdsData(node) {
    if (node.kind === 'aws.s3.Bucket') return node.retainOnDelete === true;
    return DATA_KINDS.has(node.kind) && node.retainOnDelete === true;
  },
};
