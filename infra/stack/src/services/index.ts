export { ServiceLauncher, type LaunchOptions, type ServiceLauncherOptions, type ExitListener } from './launcher';
export { ServiceProcess, ServiceStartError, portInUse, type ExitInfo } from './service-process';
export { serviceEnv, serviceMain, type ServiceEnvOptions } from './service-env';
export { consumerGroupMembers, assertNoOtherInstances, type GroupMembers } from './group-members';
export { composeServiceContainers, type ServiceContainers } from './service-container';
