export { RegistryServiceModule } from './registry-svc.module';
export { registrySchema } from './migrations';
