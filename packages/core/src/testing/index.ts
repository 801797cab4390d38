export type { Fault, FaultKind, FaultMatch } from './fault.js'
export { type FaultInjector, type FaultsOptions, faults } from './fault-injector.js'
export { type LoopbackServer, type LoopbackServerOptions, loopbackServer } from './loopback-server.js'
export { MswDispatcher, type MswDispatcherOptions, mswDispatcher } from './msw-dispatcher.js'
export { pipelineContext } from './pipeline-context.js'
export {
  type RequireServiceOptions,
  requireService,
  type ServiceAvailability,
  type TestService,
} from './require-service.js'
export { createSimulator, type Simulator, type SimulatorOptions } from './simulator.js'
