export * from './patterns';
export * from './registry';
export * from './registered-model-requests';
export * from './model-version-requests';
export * from './history';
export * from './events';
export * from './webhooks';
