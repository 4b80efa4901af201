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
    // Maven downloads while Go compiles.
    await Promise.all([ensureKafka(cfg, l), ensureToxiproxy(cfg, l).then(() => ensureJaeger(cfg, l))]);
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
    const bin = dirname(l.toxiproxyBin);
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin, { recursive: true });
    await runCommand('go', ['install', `github.com/Shopify/toxiproxy/v2/cmd/server@${v}`], {
      env: await goEnv(l, 'Toxiproxy', { GOBIN: bin }),
    });
    renameSync(join(bin, 'server'), l.toxiproxyBin);
  });
}

/**
 * Jaeger all-in-one from its Go module (the query API, no UI assets: those are not in the module).
 * `go get -tool` in a throwaway module pins the version with Jaeger's own go.sum; the build takes
 * minutes on two cores, once per version, with the module and build caches kept in the cache dir.
 */
async function ensureJaeger(cfg: StackConfig, l: StackLayout): Promise<void> {
  const v = cfg.versions.jaeger;
  await once(l, `jaeger-${v}`, `Jaeger ${v} all-in-one (go build, several minutes on 2 cores)`, async () => {
    const env = await goEnv(l, 'Jaeger');
    const pkg = 'github.com/jaegertracing/jaeger/cmd/jaeger';
    rmSync(l.jaegerModule, { recursive: true, force: true });
    mkdirSync(l.jaegerModule, { recursive: true });
    const inModule = { env, cwd: l.jaegerModule };
    await runCommand('go', ['mod', 'init', 'choreo.local/jaeger-build'], inModule);
    await runCommand('go', ['get', '-tool', `${pkg}@${v}`], inModule);
    const tmp = `${l.jaegerBin}.tmp`;
    mkdirSync(dirname(tmp), { recursive: true });
    await runCommand('go', ['build', '-o', tmp, pkg], inModule);
    renameSync(tmp, l.jaegerBin);
  });
}

/** Go's environment for a build: module and build caches in the stack's cache, static binaries. */
async function goEnv(l: StackLayout, what: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  if (!(await which('go'))) {
    throw new Error(`Go (>= 1.23) is needed to build ${what}: install it from https://go.dev/dl/ or your package manager`);
  }
  return {
    ...process.env,
    GOPATH: l.goDir,
    GOMODCACHE: join(l.goDir, 'mod'),
    GOCACHE: join(l.goDir, 'build'),
    GOFLAGS: '-modcacherw',
    CGO_ENABLED: '0',
    ...extra,
  };
}
