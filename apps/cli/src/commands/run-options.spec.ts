import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProjectRun } from '@cairn/contracts';
import { exitCodeFor } from './run.command';
import { collectKeyValue, collectSweep, readBackendConfig, resolveProjectUri } from './run-options';

describe('cairn run options', () => {
  it('-P keeps everything after the first = as the value', () => {
    assert.deepEqual(collectKeyValue('a=1', collectKeyValue('expr=x=y')), { expr: 'x=y', a: '1' });
    assert.throws(() => collectKeyValue('novalue'), /key=value/);
  });

  it('--sweep splits values on commas and refuses empty values and repeats', () => {
    assert.deepEqual(collectSweep('l1=0.2,0.8', collectSweep('alpha=0.1,0.5,1.0')), { alpha: ['0.1', '0.5', '1.0'], l1: ['0.2', '0.8'] });
    assert.throws(() => collectSweep('a=1,,2'), /empty value/);
    assert.throws(() => collectSweep('a=1', { a: ['2'] }), /swept twice/);
  });

  it('makes local paths absolute and leaves git URIs alone', () => {
    assert.equal(resolveProjectUri('examples/wine', '/home/u'), '/home/u/examples/wine');
    assert.equal(resolveProjectUri('repo#sub/dir', '/x'), '/x/repo#sub/dir');
    assert.equal(resolveProjectUri('https://h/r.git#a'), 'https://h/r.git#a');
    assert.equal(resolveProjectUri('git@github.com:o/r.git'), 'git@github.com:o/r.git');
  });

  it("reads a backend config file with MLflow's keys, sending the job template's text", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cairn-bc-'));
    await writeFile(path.join(dir, 'job.yaml'), 'apiVersion: batch/v1\nkind: Job\n');
    await writeFile(
      path.join(dir, 'k8s.json'),
      JSON.stringify({ 'kube-context': 'ctx', 'repository-uri': 'reg/img:1', 'kube-job-template-path': 'job.yaml', namespace: 'ml' }),
    );
    assert.deepEqual(readBackendConfig(path.join(dir, 'k8s.json')), {
      namespace: 'ml',
      kubeContext: 'ctx',
      image: 'reg/img:1',
      jobTemplate: 'apiVersion: batch/v1\nkind: Job\n',
    });
    assert.deepEqual(readBackendConfig('{"image":"a:1","backoffLimit":2}'), { image: 'a:1', backoffLimit: 2 });
    assert.throws(() => readBackendConfig('{nope'), /neither a JSON file nor JSON/);
  });

  it("exits with the script's code when it failed with one", () => {
    const run = (status: ProjectRun['status'], exit_code?: number) => ({ status, exit_code }) as ProjectRun;
    assert.equal(exitCodeFor(run('FINISHED', 0)), 0);
    assert.equal(exitCodeFor(run('FAILED', 3)), 3);
    assert.equal(exitCodeFor(run('FAILED')), 1);
    assert.equal(exitCodeFor(run('KILLED')), 130);
  });
});
