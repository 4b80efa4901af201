import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Kafka and Connect log to stdout (captured into their log files) through this log4j2 config. */
export function writeLog4j(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = STDOUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c{1})%n',
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.out.ref = STDOUT',
      'logger.kafka.name = kafka',
      'logger.kafka.level = WARN',
      'logger.state.name = state.change.logger',
      'logger.state.level = WARN',
      'logger.raft.name = org.apache.kafka.raft',
      'logger.raft.level = WARN',
      'logger.reflections.name = org.reflections',
      'logger.reflections.level = ERROR',
      'logger.jetty.name = org.eclipse.jetty',
      'logger.jetty.level = WARN',
      'logger.clients.name = org.apache.kafka.clients',
      'logger.clients.level = WARN',
      'logger.common.name = org.apache.kafka.common',
      'logger.common.level = WARN',
      '',
    ].join('\n'),
  );
}

export function javaCmd(): string {
  return process.env['JAVA_HOME'] ? `${process.env['JAVA_HOME']}/bin/java` : 'java';
}

export function jvmArgs(opts: { heap: string; log4j: string; classpath: string; main: string; args: string[] }): string[] {
  return [
    `-Xms${opts.heap}`,
    `-Xmx${opts.heap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${opts.log4j}`,
    '-cp',
    opts.classpath,
    opts.main,
    ...opts.args,
  ];
}

export function properties(entries: Record<string, string | number | boolean>): string {
  return `${Object.entries(entries)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}
