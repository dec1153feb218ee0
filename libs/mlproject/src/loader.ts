// The thin I/O layer: reads a project directory and hands the contents to the pure parsers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findMLprojectFile, parseProject, type Project } from './project';
import { parsePythonEnv, type ParsePythonEnvOptions, type PythonEnv } from './python-env';

/** `load_project(directory)`. */
export function loadProject(directory: string): Project {
  const file = findMLprojectFile(readdirSync(directory));
  const text = file === null ? null : readFileSync(path.join(directory, file), 'utf8');
  return parseProject(text, { directory, exists: (rel) => existsSync(path.resolve(directory, rel)) });
}

/** Reads the project's python_env.yaml (as `Project.envConfigPath` names it). */
export function loadPythonEnv(directory: string, relPath: string, opts: ParsePythonEnvOptions = {}): PythonEnv {
  return parsePythonEnv(readFileSync(path.resolve(directory, relPath), 'utf8'), opts);
}

/** `pathExists` for `ComputeOptions`. */
export const nodePathExists = (absolutePath: string): boolean => existsSync(absolutePath);
