import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/** The name members announce; every router instance must use this assigner. */
export const CO_PARTITION_ASSIGNER = 'AlertExchangeCoPartition';

/**
 * Gives partition p of every subscribed topic to the same member: "partition index" p
 * (of alerts.de, alerts.fr, ...) is the unit of ownership. The router keeps one
 * transactional producer per index it owns (transactional id `<group>-p<index>`), and the
 * cases of index p in partition p of router.case-state; so a new owner of an index fences
 * the previous one's producer and restores exactly that index's state (see router.ts).
 * Indices go round-robin over the members sorted by id, so the plan is deterministic.
 */
export const coPartitionAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITION_ASSIGNER,
  version: 1,
  protocol({ topics }) {
    return {
      name: CO_PARTITION_ASSIGNER,
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
  assign({ members, topics }) {
    const memberIds = members.map((m) => m.memberId).sort();
    const plan = new Map<string, Record<string, number[]>>(memberIds.map((id) => [id, {}]));
    for (const topic of topics) {
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((p) => p.partitionId)
        .sort((a, b) => a - b);
      for (const partition of partitions) {
        const owner = plan.get(memberIds[partition % memberIds.length]!)!;
        (owner[topic] ??= []).push(partition);
      }
    }
    return Promise.resolve(
      memberIds.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: plan.get(memberId)!,
          userData: Buffer.alloc(0),
        }),
      })),
    );
  },
});
