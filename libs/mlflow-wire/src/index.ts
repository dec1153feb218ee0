export * from './error-status';
export * from './fields';
export * from './request';
export * from './response';
export * from './key-names';
export * from './metric-history-json';
