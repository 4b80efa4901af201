import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand, which } from './run-command';
import type { StackConfig } from './stack-config';
import { runningAsRoot, stackLayout, type StackLayout } from './stack-layout';
import { withLock } from './stack-lock';
import { log } from './stack-log';

/**
 * Installs what is missing, idempotently. A marker file per component+version makes the
 * second run instant; a half-finished install has no marker and is redone from scratch.
 */
export async function installAll(cfg: StackConfig): Promise<void> {
  const l = stackLayout(cfg);
  // Stacks with different state dirs may share one cache: one installer at a time.
  await withLock(join(cfg.dirs.cache, 'install.lock'), async () => {
    await ensurePostgres(cfg, l);
    await ensureTool('java', 'openjdk-17-jre-headless');
    await ensureTool('mvn', 'maven');
    await Promise.all([ensureKafka(cfg, l), ensureToxiproxy(cfg, l)]);
    await ensureDebezium(cfg, l);
  });
}

async function once(l: StackLayout, key: string, what: string, work: () => Promise<void>): Promise<void> {
  const marker = join(l.markers, `${key}.done`);
  if (existsSync(marker)) return;
  const t0 = Date.now();
  log(`installing ${what} …`);
  await work();
  mkdirSync(l.markers, { recursive: true });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  log(`installed ${what} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function aptInstall(pkg: string): Promise<void> {
  if (!runningAsRoot()) {
    throw new Error(`${pkg} is missing; install it with: sudo apt-get install -y ${pkg}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const first = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, allowFail: true });
  if (first.code === 0) return;
  log(`apt-get install ${pkg} failed; running apt-get update and retrying`);
  await runCommand('apt-get', ['update'], { env });
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env });
}

async function ensureTool(cmd: string, aptPkg: string): Promise<void> {
  if (await which(cmd)) return;
  log(`${cmd} not found; installing apt package ${aptPkg}`);
  await aptInstall(aptPkg);
}

async function ensurePostgres(cfg: StackConfig, l: StackLayout): Promise<void> {
  if (existsSync(join(l.pgBin, 'postgres')) && existsSync(join(l.pgBin, 'psql'))) return;
  // Stop the Debian package from creating (and starting) its own cluster on our port.
  const conf = '/etc/postgresql-common/createcluster.conf';
  if (runningAsRoot() && !existsSync(conf)) {
    mkdirSync(dirname(conf), { recursive: true });
    writeFileSync(conf, 'create_main_cluster = false\n');
  }
  const pkg = `postgresql-${cfg.versions.postgresMajor}`;
  log(`PostgreSQL ${cfg.versions.postgresMajor} not found in ${l.pgBin}; installing ${pkg} from apt`);
  await aptInstall(pkg);
}

function mavenArgs(cfg: StackConfig, l: StackLayout, goal: string, outDir: string): string[] {
  return [
    '-q',
    '-B',
    '-f',
    l.pom,
    `-Dmaven.repo.local=${l.m2}`,
    `-Dkafka.version=${cfg.versions.kafka}`,
    `-Ddebezium.version=${cfg.versions.debezium}`,
    goal,
    `-DoutputDirectory=${outDir}`,
  ];
}

async function ensureKafka(cfg: StackConfig, l: StackLayout): Promise<void> {
  await once(l, `kafka-${cfg.versions.kafka}`, `Kafka + Connect ${cfg.versions.kafka} jars (Maven Central)`, async () => {
    rmSync(l.kafkaLibs, { recursive: true, force: true });
    await runCommand('mvn', mavenArgs(cfg, l, 'dependency:copy-dependencies', l.kafkaLibs));
    const jars = readdirSync(l.kafkaLibs);
    for (const must of [`kafka_2.13-${cfg.versions.kafka}.jar`, `connect-runtime-${cfg.versions.kafka}.jar`]) {
      if (!jars.includes(must)) throw new Error(`maven did not fetch ${must} into ${l.kafkaLibs}`);
    }
  });
}

async function ensureDebezium(cfg: StackConfig, l: StackLayout): Promise<void> {
  await once(l, `debezium-${cfg.versions.debezium}`, `Debezium Postgres plugin ${cfg.versions.debezium}`, async () => {
    rmSync(l.pluginPath, { recursive: true, force: true });
    await runCommand('mvn', mavenArgs(cfg, l, 'dependency:unpack', l.pluginPath));
    const jar = join(l.pluginPath, 'debezium-connector-postgres', `debezium-connector-postgres-${cfg.versions.debezium}.jar`);
    if (!existsSync(jar)) throw new Error(`Debezium plugin not unpacked where expected: ${jar}`);
  });
}

async function ensureToxiproxy(cfg: StackConfig, l: StackLayout): Promise<void> {
  const v = cfg.versions.toxiproxy;
  await once(l, `toxiproxy-${v}`, `Toxiproxy ${v} (go install)`, async () => {
    if (!(await which('go'))) {
      throw new Error('Go (>= 1.23) is needed to build Toxiproxy: install it from https://go.dev/dl/ or your package manager');
    }
    const bin = dirname(l.toxiproxyBin);
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin, { recursive: true });
    const env = {
      ...process.env,
      GOBIN: bin,
      GOPATH: l.goDir,
      GOMODCACHE: join(l.goDir, 'mod'),
      GOCACHE: join(l.goDir, 'build'),
      GOFLAGS: '-modcacherw',
      CGO_ENABLED: '0',
    };
    await runCommand('go', ['install', `github.com/Shopify/toxiproxy/v2/cmd/server@${v}`], { env });
    renameSync(join(bin, 'server'), l.toxiproxyBin);
  });
}
