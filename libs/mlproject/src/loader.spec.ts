import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { computeCommand } from './command';
import { SKLEARN_ELASTICNET_WINE, SKLEARN_PYTHON_ENV } from './fixtures.spec-helper';
import { loadProject, loadPythonEnv, nodePathExists } from './loader';
import { getEntryPoint } from './project';

describe('loadProject', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlproject-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a project directory (MLproject name in any case) and its python_env.yaml', () => {
    writeFileSync(path.join(dir, 'mlProject'), SKLEARN_ELASTICNET_WINE);
    writeFileSync(path.join(dir, 'python_env.yaml'), SKLEARN_PYTHON_ENV);
    writeFileSync(path.join(dir, 'data.csv'), 'a,b\n');
    const project = loadProject(dir);
    assert.equal(project.name, 'tutorial');
    assert.equal(project.envConfigPath, 'python_env.yaml');
    assert.equal(loadPythonEnv(dir, project.envConfigPath!).python, '3.8');
    const fallback = getEntryPoint(project, 'train.py')!;
    assert.equal(
      computeCommand(
        { ...fallback, parameters: [{ name: 'data', type: 'path', default: null }], command: 'python train.py {data}' },
        { data: 'data.csv' },
        { storageDir: dir, baseDir: dir, pathExists: nodePathExists },
      ),
      `python train.py ${path.join(dir, 'data.csv')}`,
    );
  });
});
