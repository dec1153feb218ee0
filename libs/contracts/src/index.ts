export * from './errors';
export * from './health/health';
export * from './tracking/patterns';
export * from './tracking/experiment';
export * from './tracking/experiment-requests';
export * from './tracking/run';
export * from './tracking/run-requests';
