export * from './command';
export * from './errors';
export * from './loader';
export * from './project';
export * from './python';
export * from './python-env';
export { pySafeLoad, YamlSyntaxError } from './yaml-load';
