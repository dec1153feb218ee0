import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExecutionException, MlflowException } from './errors';
import { DOCKER_EXAMPLE, MULTISTEP_WORKFLOW, SKLEARN_ELASTICNET_WINE, dirWith } from './fixtures.spec-helper';
import { EnvType, findMLprojectFile, getEntryPoint, parseProject } from './project';

const execErr = (message: string) => (e: unknown) => {
  assert.ok(e instanceof ExecutionException, `expected ExecutionException, got ${String(e)}`);
  assert.equal((e as Error).message, message);
  return true;
};
const mlflowErr = (message: string) => (e: unknown) => {
  assert.ok(e instanceof MlflowException, `expected MlflowException, got ${String(e)}`);
  assert.equal((e as Error).message, message);
  return true;
};

describe('parseProject: MLflow examples', () => {
  it('sklearn_elasticnet_wine: python_env with typed float parameters', () => {
    const p = parseProject(SKLEARN_ELASTICNET_WINE, dirWith('python_env.yaml'));
    assert.equal(p.name, 'tutorial');
    assert.equal(p.envType, EnvType.PYTHON);
    assert.equal(p.envConfigPath, 'python_env.yaml');
    assert.equal(p.dockerEnv, null);
    const main = p.entryPoints.get('main')!;
    assert.equal(main.command, 'python train.py {alpha} {l1_ratio}');
    assert.deepEqual(
      main.parameters.map((x) => [x.name, x.type, String(x.default)]),
      [
        ['alpha', 'float', '0.5'],
        ['l1_ratio', 'float', '0.1'],
      ],
    );
  });

  it('sklearn_elasticnet_wine without its python_env.yaml: MLflow error', () => {
    assert.throws(
      () => parseProject(SKLEARN_ELASTICNET_WINE, dirWith()),
      execErr('Project specified python_env file /proj/python_env.yaml, but no such file was found.'),
    );
  });

  it('docker: image, extra keys kept, short-form parameter type', () => {
    const p = parseProject(DOCKER_EXAMPLE, dirWith());
    assert.equal(p.name, 'docker-example');
    assert.equal(p.envType, EnvType.DOCKER);
    assert.equal(p.envConfigPath, null);
    assert.equal(p.dockerEnv!.image, 'mlflow-docker-example');
    assert.equal(p.dockerEnv!.namespace, 'marcusrehm');
    assert.equal(p.dockerEnv!.registry, null);
    assert.deepEqual(p.raw.kubernetes_env, { job_namespace: 'mlflow' });
    const main = p.entryPoints.get('main')!;
    assert.deepEqual(main.parameters[0], { name: 'alpha', type: 'float', default: null });
    assert.equal(main.parameters[1].type, 'float');
  });

  it('multistep_workflow: conda_env, five entry points, folded command', () => {
    const p = parseProject(MULTISTEP_WORKFLOW, dirWith('conda.yaml'));
    assert.equal(p.envType, EnvType.CONDA);
    assert.equal(p.envConfigPath, 'conda.yaml');
    assert.deepEqual([...p.entryPoints.keys()], ['load_raw_data', 'etl_data', 'als', 'train_keras', 'main']);
    assert.deepEqual(p.entryPoints.get('load_raw_data')!.parameters, []);
    assert.equal(
      p.entryPoints.get('main')!.command,
      'python main.py --als-max-iter {als_max_iter} --keras-hidden-units {keras_hidden_units} --max-row-limit {max_row_limit}',
    );
    assert.deepEqual(
      p.entryPoints.get('train_keras')!.parameters.map((x) => x.type),
      ['path', 'string', 'int'],
    );
    assert.throws(
      () => parseProject(MULTISTEP_WORKFLOW, dirWith()),
      execErr('Project specified conda environment file /proj/conda.yaml, but no such file was found.'),
    );
  });
});

describe('parseProject: environments', () => {
  it('finds the MLproject file case-insensitively', () => {
    assert.equal(findMLprojectFile(['README.md', 'mlProject', 'MLproject.bak']), 'mlProject');
    assert.equal(findMLprojectFile(['README.md']), null);
  });

  it('without an env key picks python_env.yaml, then conda.yaml, else python without spec', () => {
    const text = 'name: x\n';
    assert.deepEqual(
      [parseProject(text, dirWith('python_env.yaml', 'conda.yaml')).envConfigPath, parseProject(text, dirWith('python_env.yaml')).envType],
      ['python_env.yaml', 'python_env'],
    );
    const conda = parseProject(text, dirWith('conda.yaml'));
    assert.deepEqual([conda.envType, conda.envConfigPath], ['conda_env', 'conda.yaml']);
    const none = parseProject(null, dirWith());
    assert.deepEqual([none.envType, none.envConfigPath, none.name, none.entryPoints.size], ['python_env', null, null, 0]);
  });

  it('rejects more than one environment field', () => {
    assert.throws(
      () => parseProject('python_env: p.yaml\ndocker_env: {image: x}\n', dirWith('p.yaml')),
      execErr("Project cannot contain multiple environment fields: {'python_env', 'docker_env'}"),
    );
    assert.throws(
      () => parseProject('conda_env: c.yaml\npython_env: p.yaml\ndocker_env: {image: x}\n', dirWith()),
      execErr("Project cannot contain multiple environment fields: {'python_env', 'conda_env', 'docker_env'}"),
    );
  });

  it('validates docker_env as MLflow does', () => {
    assert.throws(
      () => parseProject('docker_env: {volumes: ["/a:/a"]}\n', dirWith()),
      execErr(
        'Project configuration (MLproject file) was invalid: Docker environment specified but no image attribute found.',
      ),
    );
    assert.throws(
      () => parseProject('docker_env: {image: img, volumes: "/a:/a"}\n', dirWith()),
      execErr(
        `Project configuration (MLproject file) was invalid: Docker volumes must be a list of strings, e.g.: '["/path1/:/path1", "/path2/:/path2"])`,
      ),
    );
    assert.throws(
      () => parseProject('docker_env: {image: img, environment: [1]}\n', dirWith()),
      execErr(
        'Project configuration (MLproject file) was invalid: environment must be a list containing either strings ' +
          '(to copy environment variables from host system) or lists of string pairs (to define new environment ' +
          `variables).E.g.: '[["NEW_VAR", "new_value"], "VAR_TO_COPY_FROM_HOST"])`,
      ),
    );
    const p = parseProject(
      'docker_env:\n  image: repo/img:1\n  volumes: ["/a:/b"]\n  environment: [VAR_TO_COPY, [NEW_VAR, "v 1"]]\n',
      dirWith(),
    );
    assert.deepEqual(p.dockerEnv, { image: 'repo/img:1', volumes: ['/a:/b'], environment: ['VAR_TO_COPY', ['NEW_VAR', 'v 1']] });
    // An empty docker_env is falsy in MLflow: it falls through to the default environment.
    assert.equal(parseProject('docker_env: {}\n', dirWith()).envType, 'python_env');
  });

  it('applies the Databricks Spark job checks', () => {
    assert.throws(
      () => parseProject('databricks_spark_job: {parameters: []}\n', dirWith()),
      mlflowErr("Databricks Spark job requires either 'databricks_spark_job.python_file' setting or 'entry_points' setting."),
    );
    assert.throws(
      () => parseProject('databricks_spark_job: {python_file: a.py}\nentry_points: {main: {command: x}}\n', dirWith()),
      mlflowErr("Databricks Spark job does not allow setting both 'databricks_spark_job.python_file' and 'entry_points'."),
    );
    assert.throws(
      () => parseProject('databricks_spark_job: {}\nentry_points: {main: {parameters: {d: path}, command: x}}\n', dirWith()),
      mlflowErr("Databricks Spark job does not support entry point parameter of 'path' type. 'd' value type is invalid."),
    );
    assert.throws(
      () => parseProject('databricks_spark_job: {python_file: a.py}\ndocker_env: {image: i}\n', dirWith()),
      mlflowErr('Databricks Spark job does not support setting docker environment.'),
    );
    assert.throws(
      () => parseProject('databricks_spark_job: {python_file: a.py}\npython_env: p.yaml\n', dirWith()),
      mlflowErr('Databricks Spark job does not support setting python environment.'),
    );
    assert.throws(
      () => parseProject('databricks_spark_job: {python_file: a.py}\nconda_env: c.yaml\n', dirWith()),
      mlflowErr('Databricks Spark job does not support setting conda environment.'),
    );
    const p = parseProject('databricks_spark_job: {python_file: a.py, parameters: [x]}\n', dirWith());
    assert.equal(p.databricksSparkJob!.pythonFile, 'a.py');
    assert.equal(getEntryPoint(p, 'main'), null);
    const q = parseProject('databricks_spark_job: {}\nentry_points: {main: {command: x}}\n', dirWith());
    assert.throws(
      () => getEntryPoint(q, 'other'),
      mlflowErr("The entry point 'other' is not defined in the Databricks spark job MLproject file."),
    );
  });

  it('reports malformed files clearly (where MLflow crashes)', () => {
    assert.throws(() => parseProject('', dirWith()), ExecutionException);
    assert.throws(() => parseProject('- a\n', dirWith()), ExecutionException);
    assert.throws(() => parseProject('entry_points: {main: {parameters: {a: }, command: x}}\n', dirWith()), ExecutionException);
    assert.throws(() => parseProject('entry_points: [main]\n', dirWith()), ExecutionException);
    assert.throws(() => parseProject('a: [\n', dirWith()), /not valid YAML/);
  });

  it('loads YAML as PyYAML safe_load does (floats, YAML 1.1 booleans, 1e5 as a string)', () => {
    const p = parseProject(
      'entry_points:\n  main:\n    parameters:\n      a: {default: 1.0}\n      b: {default: 1e5}\n      c: {default: yes}\n      d: {default: 010}\n      e: {default: 1_000}\n      n: {default: n}\n      y: {default: Y}\n    command: x\n',
      dirWith(),
    );
    assert.deepEqual(
      p.entryPoints.get('main')!.parameters.map((x) => [x.type, String(x.default)]),
      [
        ['string', '1.0'],
        ['string', '1e5'],
        ['string', 'true'],
        ['string', '8'],
        ['string', '1000'],
        ['string', 'n'],
        ['string', 'Y'],
      ],
    );
  });
});

describe('getEntryPoint', () => {
  const project = parseProject(SKLEARN_ELASTICNET_WINE, dirWith('python_env.yaml'));

  it('returns declared entry points', () => {
    assert.equal(getEntryPoint(project, 'main')!.name, 'main');
  });

  it('falls back to python / $SHELL / Rscript for script files', () => {
    assert.equal(getEntryPoint(project, 'train.py')!.command, 'python train.py');
    assert.equal(getEntryPoint(project, 'my script.py')!.command, "python 'my script.py'");
    assert.equal(getEntryPoint(project, 'run.sh', { shell: '/bin/zsh' })!.command, '/bin/zsh run.sh');
    assert.equal(getEntryPoint(project, 'sub/run.R')!.command, `Rscript -e "mlflow::mlflow_source('sub/run.R')" --args`);
  });

  it('uses the shell it is given (the runner passes $SHELL from its config), else bash', () => {
    assert.equal(getEntryPoint(project, 'x.sh')!.command, 'bash x.sh');
    assert.equal(getEntryPoint(project, 'x.sh', { shell: '/bin/sh' })!.command, '/bin/sh x.sh');
  });

  it('rejects anything else with MLflow message', () => {
    assert.throws(
      () => getEntryPoint(project, 'foo.txt'),
      execErr(
        "Could not find foo.txt among entry points ['main'] or interpret foo.txt as a runnable script. Supported script file extensions: ['.py', '.sh']",
      ),
    );
    assert.throws(() => getEntryPoint(project, '.py'), ExecutionException);
  });
});
