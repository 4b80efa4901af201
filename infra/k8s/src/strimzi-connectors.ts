import { readFileSync } from 'node:fs';
import { renderConnector, SERVICES, type StackConfig } from '@choreo/stack';
import { NAMESPACE } from './app-manifests';

/** The Strimzi KafkaConnect cluster the connectors belong to, and the Secret Debezium's credentials come from. */
export const CONNECT_CLUSTER = 'choreo-connect';
export const DEBEZIUM_SECRET = 'debezium-credentials';

/**
 * What the placeholders of infra/debezium/*.json become in Kubernetes: Postgres is the `postgres`
 * Service (no Toxiproxy), and the credentials are read at run time by Strimzi's
 * KubernetesSecretConfigProvider (the KafkaConnect resource must enable it as `secrets`).
 */
export function kubernetesVars(cfg: StackConfig): Record<string, string> {
  return {
    ...cfg.vars,
    CONNECT_PG_HOST: 'postgres',
    PROXY_CONNECT_PG_PORT: '5432',
    DEBEZIUM_DB_USER: `\${secrets:${NAMESPACE}/${DEBEZIUM_SECRET}:username}`,
    DEBEZIUM_DB_PASS: `\${secrets:${NAMESPACE}/${DEBEZIUM_SECRET}:password}`,
  };
}

/** One Strimzi KafkaConnector per infra/debezium/<service>.json, with the same configuration. */
export function strimziConnectors(cfg: StackConfig): Record<string, unknown>[] {
  return SERVICES.map((s) => {
    const { name, config } = renderConnector(readFileSync(cfg.services[s].connector.file, 'utf8'), kubernetesVars(cfg));
    const { 'connector.class': className, 'tasks.max': tasksMax, ...rest } = config;
    return {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaConnector',
      metadata: { name, namespace: NAMESPACE, labels: { 'strimzi.io/cluster': CONNECT_CLUSTER } },
      spec: { class: className, tasksMax: Number(tasksMax), config: rest },
    };
  });
}
