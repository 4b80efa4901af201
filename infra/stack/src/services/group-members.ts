import { Kafka, logLevel } from 'kafkajs';
import { SERVICES, type ServiceName, type StackConfig } from '../stack-config';
import { sleep } from '../wait';

export interface GroupMembers {
  readonly service: ServiceName;
  readonly group: string;
  readonly members: readonly string[];
}

/** Members of each service's consumer group right now (`clientId@host`); a group id is the service's name. */
export async function consumerGroupMembers(cfg: StackConfig): Promise<GroupMembers[]> {
  const ids = SERVICES.map((s) => `${s}-service`);
  // Default retries: the broker pool fills from metadata lazily, and describeGroups with no retry finds it empty.
  const admin = new Kafka({ clientId: 'choreo-launcher', brokers: [cfg.kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const { groups } = await admin.describeGroups(ids).finally(() => admin.disconnect());
  return SERVICES.map((service, i) => {
    const g = groups.find((x) => x.groupId === ids[i]);
    return { service, group: ids[i]!, members: (g?.members ?? []).map((m) => `${m.clientId}@${m.clientHost}`) };
  });
}

/**
 * Fails if some service's consumer group still has members before this launcher starts it:
 * another instance (a forgotten `tsx apps/…/main.ts`, another `npm start`) would take half the
 * partitions and quietly act on what a test thinks it controls. A member that was SIGKILLed
 * lingers until its session times out (KAFKA_SESSION_TIMEOUT_MS, 10 s), so this waits up to `graceMs` for groups to empty.
 */
export async function assertNoOtherInstances(
  cfg: StackConfig,
  services: readonly ServiceName[] = SERVICES,
  graceMs = 35_000,
): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    let groups: GroupMembers[];
    try {
      groups = await consumerGroupMembers(cfg);
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`cannot describe the services' consumer groups on ${cfg.kafka.bootstrap}: ${(error as Error).message}`);
      await sleep(1_000);
      continue;
    }
    const busy = groups.filter((g) => services.includes(g.service) && g.members.length > 0);
    if (busy.length === 0) return;
    if (Date.now() > deadline) {
      const lines = busy.map((g) => `  consumer group ${g.group}: ${g.members.length} member(s) ${g.members.join(', ')}`);
      throw new Error(
        `other instances of the services are consuming from this stack; they share the partitions with the instances started here:\n` +
          `${lines.join('\n')}\nFind them with: ps aux | grep 'apps/.*-service/src/main.ts'`,
      );
    }
    await sleep(1_000);
  }
}
