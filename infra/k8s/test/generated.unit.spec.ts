import { readFileSync } from 'node:fs';
import { loadStackConfig, SERVICES } from '@choreo/stack';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderedManifests } from '../src/generate';

const cfg = loadStackConfig({});

describe('the generated Kubernetes files', () => {
  it('when the generator runs, then every file in infra/k8s is what it writes (run npm run k8s:generate)', async () => {
    const files = Object.entries(await renderedManifests());
    expect(files).toHaveLength(SERVICES.length + 1);
    for (const [file, text] of files) expect(readFileSync(file, 'utf8'), file).toBe(text);
  });

  it('when the connectors are generated, then each KafkaConnector carries its infra/debezium file’s configuration', () => {
    const connectors = parseAllDocuments(readFileSync(`${cfg.root}/infra/k8s/kafka-connectors.yaml`, 'utf8')).map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string }; spec: { class: string; tasksMax: number; config: Record<string, string> } },
    );
    expect(connectors.map((c) => c.kind)).toEqual(SERVICES.map(() => 'KafkaConnector'));
    for (const s of SERVICES) {
      const source = JSON.parse(readFileSync(cfg.services[s].connector.file, 'utf8')) as { name: string; config: Record<string, string> };
      const connector = connectors.find((c) => c.metadata.name === source.name)!;
      const { 'connector.class': className, 'tasks.max': tasksMax, ...rest } = source.config;
      expect(connector.spec.class).toBe(className);
      expect(connector.spec.tasksMax).toBe(Number(tasksMax));
      expect(Object.keys(connector.spec.config).sort()).toEqual(Object.keys(rest).sort());
      for (const [k, v] of Object.entries(rest)) if (!/\$\{[A-Z]/.test(v)) expect(connector.spec.config[k], k).toBe(v);
      expect(connector.spec.config['database.password']).toMatch(/^\$\{secrets:[a-z-]+\/[a-z-]+:password\}$/);
    }
  });
});
