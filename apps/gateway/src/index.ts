export { GatewayModule } from './gateway.module';
export type { GatewayOptions } from './gateway.module';
export { createHttpApp } from './http/create-http-app';
