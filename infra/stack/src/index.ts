/**
 * @choreo/stack — the local stack: typed configuration (from infra/.env) and lifecycle.
 *
 * Configuration (stable contract, see stack-config.ts for the full shape):
 *   loadStackConfig() → { services.{order,inventory,payment}.{dbUrl, dbUrlDirect, kafkaBrokers, httpPort,
 *     proxies, connector, migrationsDir}, kafka.bootstrap, pg.superUrl, connect.url, toxiproxy.url,
 *     topics.{events, dlq, all, byAggregate}, adminToken, sagaTimeoutMs, versions, dirs }
 * Lifecycle: stackUp(), stackDown({ purge }), stackStatus()
 * Chaos: stopComponent / killComponent / startComponent / restartComponent('postgres'|'toxiproxy'|'kafka'|'connect'),
 *   ensureConnectorsRunning(), ToxiproxyClient (toxics, enable/disable proxies, reset).
 */
export * from './stack-config';
export { startConsole, consolePort, CONSOLE_ID } from './services/console-process';
export { parseEnvFile } from './env-file';
export { COMPONENTS, ComponentError, type ComponentName } from './component';
export {
  components,
  stackUp,
  stackDown,
  stackStatus,
  stopComponent,
  killComponent,
  startComponent,
  restartComponent,
  ensureConnectorsRunning,
  type ComponentStatus,
} from './stack';
export { ToxiproxyClient, type Toxic, type ToxicType, type ProxyState } from './toxiproxy.client';
export {
  connectorStatus,
  connectRest,
  stopConnector,
  loadConnector,
  registerAllConnectors,
  renderConnector,
  slotActive,
  type ConnectorSpec,
  type ConnectorTweak,
} from './connectors';
export { waitFor, TimeoutError } from './wait';
export { cdcHealth, describeCdc, readSlot, type CdcHealth, type SlotState, type WalStatus } from './cdc-health';
export { auditOutbox, type LostRange, type OutboxAudit } from './outbox-audit';
export { connectorsUp, describeRecovery, dropSlot, needsRecovery, recoverSlot, type RecoveryReport } from './slot-recovery';
export * from './services';
