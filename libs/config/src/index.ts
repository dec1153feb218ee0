export * from './read-env';
export * from './fields';
export * from './http.config';
export * from './gateway.config';
export * from './service.config';
export * from './cli.config';
export * from './artifacts.config';
export * from './webhooks.config';
