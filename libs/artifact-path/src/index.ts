export * from './unquote';
export * from './canonical-path';
export * from './artifact-uri';
