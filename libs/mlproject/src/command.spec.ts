import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  absPath,
  computeCommand,
  commandArgv,
  computeParameters,
  kubernetesRunCommand,
  getLocalPathOrNone,
  isUri,
  parametersToLog,
  pyFormat,
  runEnvVars,
  type ComputeOptions,
} from './command';
import { ExecutionException } from './errors';
import { DOCKER_EXAMPLE, MULTISTEP_WORKFLOW, SKLEARN_ELASTICNET_WINE, dirWith } from './fixtures.spec-helper';
import { getEntryPoint, parseProject, type EntryPoint } from './project';

const execErr = (message: string) => (e: unknown) => {
  assert.ok(e instanceof ExecutionException, `expected ExecutionException, got ${String(e)}`);
  assert.equal((e as Error).message, message);
  return true;
};

const wine = parseProject(SKLEARN_ELASTICNET_WINE, dirWith('python_env.yaml'));
const docker = parseProject(DOCKER_EXAMPLE, dirWith());
const multistep = parseProject(MULTISTEP_WORKFLOW, dirWith('conda.yaml'));
const ep = (p: typeof wine, name: string): EntryPoint => getEntryPoint(p, name)!;

const existing = new Set(['/proj/ratings.csv', '/data/ratings.csv', '/proj/data dir/r.csv']);
const localOpts: ComputeOptions = { storageDir: '/tmp/storage', baseDir: '/proj', pathExists: (p) => existing.has(p) };

describe('computeCommand: MLflow examples', () => {
  it('sklearn_elasticnet_wine: defaults and -P overrides', () => {
    assert.equal(computeCommand(ep(wine, 'main'), {}), 'python train.py 0.5 0.1');
    assert.equal(computeCommand(ep(wine, 'main'), null), 'python train.py 0.5 0.1');
    assert.equal(computeCommand(ep(wine, 'main'), { alpha: '0.42' }), 'python train.py 0.42 0.1');
    assert.equal(computeCommand(ep(wine, 'main'), { alpha: 0.42, l1_ratio: 1 }), 'python train.py 0.42 1');
  });

  it('sklearn_elasticnet_wine: undeclared -P parameters are appended as --key value, quoted, in order', () => {
    assert.equal(
      computeCommand(ep(wine, 'main'), { zeta: 'a b', alpha: '0.3', beta: '' }),
      "python train.py 0.3 0.1 --zeta 'a b' --beta ''",
    );
  });

  it('docker: a required parameter', () => {
    assert.throws(() => computeCommand(ep(docker, 'main'), {}), execErr("No value given for missing parameters: 'alpha'"));
    assert.equal(computeCommand(ep(docker, 'main'), { alpha: '0.5' }), 'python train.py --alpha 0.5 --l1-ratio 0.1');
  });

  it('multistep_workflow: path parameters resolved against the project directory', () => {
    assert.equal(
      computeCommand(ep(multistep, 'etl_data'), { ratings_csv: 'ratings.csv' }, localOpts),
      'python etl_data.py --ratings-csv /proj/ratings.csv --max-row-limit 100000',
    );
    assert.equal(
      computeCommand(ep(multistep, 'etl_data'), { ratings_csv: 'file:///data/ratings.csv', max_row_limit: '5' }, localOpts),
      'python etl_data.py --ratings-csv /data/ratings.csv --max-row-limit 5',
    );
    assert.equal(
      computeCommand(ep(multistep, 'etl_data'), { ratings_csv: './data dir/../data dir/r.csv' }, localOpts),
      "python etl_data.py --ratings-csv '/proj/data dir/r.csv' --max-row-limit 100000",
    );
    assert.equal(
      computeCommand(ep(multistep, 'main'), {}),
      'python main.py --als-max-iter 10 --keras-hidden-units 20 --max-row-limit 100000',
    );
    assert.equal(computeCommand(ep(multistep, 'load_raw_data'), {}), 'python load_raw_data.py');
  });

  it('multistep_workflow: missing path and missing parameters', () => {
    assert.throws(
      () => computeCommand(ep(multistep, 'etl_data'), { ratings_csv: 'nope.csv' }, localOpts),
      execErr('Got value nope.csv for parameter ratings_csv, but no such file or directory was found.'),
    );
    assert.throws(
      () => computeCommand(ep(multistep, 'train_keras'), {}, localOpts),
      execErr("No value given for missing parameters: 'ratings_data', 'als_model_uri'"),
    );
  });

  it('multistep_workflow: remote path values go to the download hook under param_<index>', () => {
    const calls: [string, string, string][] = [];
    const cmd = computeCommand(
      ep(multistep, 'als'),
      { ratings_data: 's3://bucket/ratings.parquet' },
      { ...localOpts, downloadRemotePath: (uri, dir, p) => (calls.push([uri, dir, p.name]), `${dir}/ratings.parquet`) },
    );
    assert.equal(
      cmd,
      'python als.py --ratings-data /tmp/storage/param_0/ratings.parquet --max-iter 10 --reg-param 0.1 --rank 12',
    );
    assert.deepEqual(calls, [['s3://bucket/ratings.parquet', '/tmp/storage/param_0', 'ratings_data']]);
    assert.throws(
      () => computeCommand(ep(multistep, 'als'), { ratings_data: 'runs:/abc/data' }, localOpts),
      execErr("Got value runs:/abc/data for parameter ratings_data, but downloading remote 'path' parameters is not supported here."),
    );
  });

  it('leaves path values alone without a storage dir (what MLflow logs)', () => {
    assert.deepEqual(parametersToLog(ep(multistep, 'etl_data'), { ratings_csv: 'nope.csv', extra: 'x y' }), [
      ['ratings_csv', 'nope.csv'],
      ['max_row_limit', '100000'],
      ['extra', "'x y'"],
    ]);
  });
});

describe('computeCommand: quoting', () => {
  const entry: EntryPoint = {
    name: 'q',
    parameters: [{ name: 'v', type: 'string', default: 'hello world' }],
    command: 'echo {v}',
  };
  it('quotes every substituted value with shlex.quote', () => {
    const cases: [string, string][] = [
      ['plain', 'echo plain'],
      ['two words', "echo 'two words'"],
      ["it's", `echo 'it'"'"'s'`],
      ['$HOME', "echo '$HOME'"],
      ['"dq"', `echo '"dq"'`],
      ['', "echo ''"],
      ['a;b|c&d', "echo 'a;b|c&d'"],
      ['$(rm -rf ~)', "echo '$(rm -rf ~)'"],
    ];
    for (const [v, expected] of cases) assert.equal(computeCommand(entry, { v }), expected, v);
    assert.equal(computeCommand(entry, {}), "echo 'hello world'");
  });

  it('does not quote undeclared keys (MLflow formats --{key} raw)', () => {
    assert.equal(computeCommand(entry, { 'k k': 'v v' }), "echo 'hello world' --k k 'v v'");
  });

  it('prints YAML defaults with Python str()', () => {
    const p = parseProject(
      'entry_points:\n  main:\n    parameters:\n      f: {type: float, default: 1.0}\n      b: {default: true}\n      n: {type: int, default: 3}\n    command: "run {f} {b} {n}"\n',
      dirWith(),
    );
    assert.equal(computeCommand(ep(p, 'main'), {}), 'run 1.0 True 3');
  });

  it('fallback script entry points take every -P as --key value', () => {
    assert.equal(computeCommand(ep(wine, 'train.py'), { alpha: '1', name: 'a b' }), "python train.py --alpha 1 --name 'a b'");
  });

  it('errors when the entry point has no command', () => {
    assert.throws(() => computeCommand({ name: 'x', parameters: [], command: null }, {}), ExecutionException);
  });
});

describe('computeParameters: types', () => {
  const entry: EntryPoint = {
    name: 't',
    parameters: [
      { name: 'alpha', type: 'float', default: null },
      { name: 'n', type: 'int', default: '2' },
      { name: 'data', type: 'uri', default: 's3://b/k' },
    ],
    command: 'x {alpha} {n} {data}',
  };

  it('checks uri values with is_uri and leaves them as is', () => {
    assert.equal(computeCommand(entry, { alpha: '1', data: 'runs:/r/m' }), 'x 1 2 runs:/r/m');
    assert.throws(
      () => computeCommand(entry, { alpha: '1', data: 'not a uri' }),
      execErr('Expected URI for parameter data but got not a uri'),
    );
    assert.throws(() => computeCommand(entry, { alpha: '1', data: '/abs/path' }), ExecutionException);
  });

  it('passes float/int through unchecked, like MLflow, unless validateTypes', () => {
    assert.equal(computeCommand(entry, { alpha: 'abc' }), 'x abc 2 s3://b/k');
    const strict = { validateTypes: true };
    assert.throws(() => computeCommand(entry, { alpha: 'abc' }, strict), execErr('Expected float for parameter alpha but got abc'));
    assert.throws(() => computeCommand(entry, { alpha: '1', n: '2.5' }, strict), execErr('Expected int for parameter n but got 2.5'));
    assert.throws(() => computeCommand(entry, { alpha: '' }, strict), execErr('Expected float for parameter alpha but got '));
    assert.throws(() => computeCommand(entry, { alpha: true }, strict), ExecutionException);
    assert.equal(computeCommand(entry, { alpha: ' 1e-3 ', n: '-4' }, strict), "x ' 1e-3 ' -4 s3://b/k");
    assert.equal(computeCommand(entry, { alpha: 'inf' }, strict), 'x inf 2 s3://b/k');
  });

  it('returns unquoted str() values', () => {
    assert.deepEqual(computeParameters(entry, { alpha: 0.5, extra: 'a b' }), {
      params: { alpha: '0.5', n: '2', data: 's3://b/k' },
      extraParams: { extra: 'a b' },
    });
  });

  it('reports every missing parameter, in declaration order', () => {
    const e: EntryPoint = {
      name: 'm',
      parameters: [
        { name: 'b', type: 'string', default: null },
        { name: 'a', type: 'string', default: null },
      ],
      command: '{a}{b}',
    };
    assert.throws(() => computeCommand(e, {}), execErr("No value given for missing parameters: 'b', 'a'"));
  });
});

describe('helpers', () => {
  it('pyFormat follows str.format', () => {
    assert.equal(pyFormat('{{x}} {a} {a!r} {a:>5}|{a:*^6}|{a:.1}', { a: 'ab' }), "{x} ab 'ab'    ab|**ab**|a");
    assert.throws(() => pyFormat('{b}', { a: 'x' }), /not a declared parameter.*KeyError: 'b'/);
    assert.throws(() => pyFormat('{0}', { a: 'x' }), ExecutionException);
    assert.throws(() => pyFormat('{', {}), /Single '\{'/);
    assert.throws(() => pyFormat('a}b', {}), /Single '\}'/);
    assert.throws(() => pyFormat('{a.b}', { a: 'x' }), ExecutionException);
  });

  it('local path detection and abspath', () => {
    assert.equal(getLocalPathOrNone('data/x.csv'), 'data/x.csv');
    assert.equal(getLocalPathOrNone('file:///tmp/a%20b'), '/tmp/a b');
    assert.equal(getLocalPathOrNone('file://host/tmp'), null);
    assert.equal(getLocalPathOrNone('s3://b/k'), null);
    assert.equal(absPath('../x/./y', '/proj/sub'), '/proj/x/y');
    assert.equal(absPath('/a/b/..', '/ignored'), '/a');
    assert.ok(isUri('s3://b') && isUri('runs:/x') && !isUri('rel/path') && !isUri(''));
  });

  it('runEnvVars: what the command gets', () => {
    assert.deepEqual(runEnvVars({ runId: 'r1', trackingUri: 'http://127.0.0.1:5000', experimentId: 7 }), {
      MLFLOW_RUN_ID: 'r1',
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
      MLFLOW_EXPERIMENT_ID: '7',
    });
  });
});

describe('Kubernetes command (MLflow _get_run_command)', () => {
  it('splits then re-quotes every token, as MLflow does', () => {
    const cmd = computeCommand(ep(wine, 'main'), { alpha: '0.5', note: 'a b' });
    assert.equal(cmd, "python train.py 0.5 0.1 --note 'a b'");
    assert.deepEqual(kubernetesRunCommand([cmd]), ['python', 'train.py', '0.5', '0.1', '--note', "'a b'"]);
    assert.deepEqual(commandArgv(cmd), ['python', 'train.py', '0.5', '0.1', '--note', 'a b']);
  });
});
