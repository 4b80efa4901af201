import { sagaDeadlineEnv, serviceEnv } from '@choreo/platform';
import type { ServiceName, StackConfig } from '@choreo/stack';
import { CONNECT_CLUSTER } from './strimzi-connectors';

/** Keys a deployment supplies from its Secret; everything else a service reads comes from its ConfigMap. */
export const SECRET_KEYS = ['DATABASE_URL', 'ADMIN_TOKEN'] as const;
/** Strimzi names the bootstrap Service of Kafka cluster `choreo` like this. */
export const KAFKA_BOOTSTRAP = 'choreo-kafka-bootstrap:9092';
export const NAMESPACE = 'choreo';

/** The env fragments each service's config.ts reads (checked against the real config.ts by the manifest test). */
const ownEnv: Record<ServiceName, object> = { order: sagaDeadlineEnv, inventory: {}, payment: {} };

export const imageOf = (service: ServiceName, tag: string) => `choreo/${service}-service:${tag}`;

type Manifest = Record<string, unknown>;

/** ConfigMap, Deployment, Service and PodDisruptionBudget of one service, from infra/.env's values. */
export function appManifests(cfg: StackConfig, service: ServiceName, tag: string): Manifest[] {
  const name = `${service}-service`;
  const port = cfg.services[service].httpPort;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'choreo' };
  const metadata = (suffix = '') => ({ name: `${name}${suffix}`, namespace: NAMESPACE, labels });
  const keys = Object.keys({ ...serviceEnv(port), ...ownEnv[service] }).filter((k) => !(SECRET_KEYS as readonly string[]).includes(k));
  const { connector } = cfg.services[service];
  const fixed: Record<string, string> = {
    PORT: String(port),
    KAFKA_BROKERS: KAFKA_BOOTSTRAP,
    CHOREO_ENV: 'deployed',
    CDC_SLOT_NAME: connector.slot,
    CDC_CONNECTOR: connector.name,
    // Strimzi's REST Service of the KafkaConnect cluster that runs the outbox connectors.
    CDC_CONNECT_URL: `http://${CONNECT_CLUSTER}-connect-api:8083`,
    // Tracing stays off until the deployment names its OTLP collector (ADR 0017).
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
  };
  const data = Object.fromEntries(keys.map((k) => [k, fixed[k] ?? required(cfg.vars, k)]));
  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('-config'), data },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(),
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            // Longer than the service's own shutdown budget (15 s): drain, commit offsets, close the pool.
            terminationGracePeriodSeconds: 30,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name,
                image: imageOf(service, tag),
                ports: [{ name: 'http', containerPort: port }],
                envFrom: [{ configMapRef: { name: `${name}-config` } }],
                env: SECRET_KEYS.map((k) => ({ name: k, valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: k } } })),
                // Migrations run at start-up: give them time before liveness counts.
                startupProbe: { ...probe('/health/live', 2), failureThreshold: 60 },
                livenessProbe: probe('/health/live', 10),
                readinessProbe: probe('/health/ready', 5),
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(),
      spec: { selector: labels, ports: [{ name: 'http', port, targetPort: 'http' }] },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(),
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
  ];
}

function required(vars: Record<string, string>, key: string): string {
  const v = vars[key];
  if (v === undefined) throw new Error(`infra/.env has no ${key}, which a service reads`);
  return v;
}
