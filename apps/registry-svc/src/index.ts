export { RegistryServiceModule } from './registry-svc.module';
export type { RegistryServiceOptions } from './registry-svc.module';
export type { EventTransport } from './events/event-bus';
export { registrySchema } from './migrations';
