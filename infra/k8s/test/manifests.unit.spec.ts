import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadStackConfig, SERVICES, type ServiceName } from '@choreo/stack';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

type Doc = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [k: string]: unknown };
type Container = {
  image: string;
  ports: { name: string; containerPort: number }[];
  envFrom: { configMapRef: { name: string } }[];
  env: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
};

const cfg = loadStackConfig({});
const root = cfg.root;
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const compose = parse(readFileSync(join(root, 'infra/docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: { dockerfile: string } }>;
};
/** The GET routes a service serves, from its OpenAPI document (generated from its routes and freshness-tested). */
const getRoutes = (name: string) =>
  Object.entries((JSON.parse(readFileSync(join(root, `docs/api/${name}.openapi.json`), 'utf8')) as { paths: Record<string, object> }).paths)
    .filter(([, ops]) => 'get' in ops)
    .map(([path]) => path);

function docs(file: string): Doc[] {
  const parsed = parseAllDocuments(readFileSync(join(root, 'infra/k8s', file), 'utf8'));
  for (const d of parsed) expect(d.errors, file).toEqual([]);
  return parsed.map((d) => d.toJS() as Doc);
}

/** The keys of the config a service's own config.ts parses from `env`, run as the service would run it. */
function parsedConfigKeys(service: ServiceName, env: Record<string, string>): string[] {
  const url = pathToFileURL(join(root, `apps/${service}-service/src/config.ts`)).href;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const m = await import('${url}'); console.log(JSON.stringify(Object.keys(m.config)))`,
    ],
    { cwd: root, env: { PATH: process.env['PATH'], ...env }, encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as string[];
}

describe.each(SERVICES)('the Kubernetes manifests of %s-service', (service) => {
  const name = `${service}-service`;
  const all = docs(`${name}.yaml`);
  const byKind = (kind: string) => all.find((d) => d.kind === kind)!;
  const deployment = byKind('Deployment') as Doc & {
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    };
  };
  const pod = deployment.spec.template.spec as { securityContext: { runAsNonRoot: boolean }; containers: Container[] };
  const container = pod.containers[0]!;
  const configMap = byKind('ConfigMap') as Doc & { data: Record<string, string> };

  it('when parsed, then it holds a ConfigMap, a Deployment, a Service and a PodDisruptionBudget, each named and versioned', () => {
    expect(all.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
    for (const d of all) {
      expect(d.apiVersion, d.kind).toMatch(/^(v1|apps\/v1|policy\/v1)$/);
      expect(d.metadata.name, d.kind).toMatch(new RegExp(`^${name}`));
    }
  });

  it('when the image is named, then it is the one compose builds from the service Dockerfile, at the package version', () => {
    expect(container.image).toBe(`choreo/${name}:${version}`);
    const built = compose.services[name]!;
    expect(built.image).toBe(`choreo/${name}`);
    expect(built.build!.dockerfile).toBe(`apps/${name}/Dockerfile`);
    expect(existsSync(join(root, built.build!.dockerfile))).toBe(true);
  });

  it('when probes are set, then they call GET routes the service serves, on the named HTTP port', () => {
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(getRoutes(name)).toContain(probe.httpGet.path);
      expect(container.ports.map((p) => p.name)).toContain(probe.httpGet.port);
    }
    expect(container.ports).toEqual([{ name: 'http', containerPort: cfg.services[service].httpPort }]);
  });

  it('when the pod runs, then it is non-root on a read-only root filesystem with bounded resources', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(container.resources.limits['memory']).toBeDefined();
  });

  it('when the Service and the PodDisruptionBudget select pods, then they select this Deployment’s pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    expect((byKind('Service') as Doc & { spec: { selector: object } }).spec.selector).toEqual(labels);
    const pdb = byKind('PodDisruptionBudget') as Doc & { spec: { selector: { matchLabels: object }; minAvailable: number } };
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
  });

  it('when the ConfigMap and the Secret references give the environment, then config.ts accepts it and reads exactly those keys', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    const secretKeys = container.env.map((e) => {
      expect(e.valueFrom.secretKeyRef).toEqual({ name: `${name}-secrets`, key: e.name });
      return e.name;
    });
    const placeholders = { DATABASE_URL: 'postgres://u:p@postgres:5432/db', ADMIN_TOKEN: 'a-deployment-token-of-32-characters' };
    const env = { ...configMap.data, ...Object.fromEntries(secretKeys.map((k) => [k, placeholders[k as keyof typeof placeholders]])) };
    expect(Object.keys(env).sort()).toEqual(parsedConfigKeys(service, env).sort());
  });
});
