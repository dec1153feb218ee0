import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PythonEnvTypeError } from './errors';
import { SKLEARN_PYTHON_ENV } from './fixtures.spec-helper';
import { parsePythonEnv, pythonEnvHash, pythonEnvName, pythonEnvRepr } from './python-env';

const typeErr = (message: string) => (e: unknown) => {
  assert.ok(e instanceof PythonEnvTypeError, `expected TypeError, got ${String(e)}`);
  assert.equal((e as Error).message, message);
  return true;
};

describe('python_env.yaml', () => {
  it("parses MLflow's sklearn_elasticnet_wine python_env.yaml", () => {
    assert.deepEqual(parsePythonEnv(SKLEARN_PYTHON_ENV), {
      python: '3.8',
      build_dependencies: ['pip'],
      dependencies: ['scikit-learn==1.2.0', 'mlflow>=1.0', 'pandas'],
    });
  });

  it('defaults python and the lists', () => {
    assert.deepEqual(parsePythonEnv('dependencies: [numpy]\n', { defaultPython: '3.11.4' }), {
      python: '3.11.4',
      build_dependencies: [],
      dependencies: ['numpy'],
    });
    assert.throws(() => parsePythonEnv('dependencies: [numpy]\n'), /does not specify `python`/);
  });

  it("validates like _PythonEnv.__init__ (MLflow's TypeErrors)", () => {
    assert.throws(() => parsePythonEnv('python: 3.8\n'), typeErr("`python` must be a string but got <class 'float'>"));
    assert.throws(() => parsePythonEnv('python: 3\n'), typeErr("`python` must be a string but got <class 'int'>"));
    assert.throws(
      () => parsePythonEnv('python: "3.9"\nbuild_dependencies: pip\n'),
      typeErr("`build_dependencies` must be a list but got <class 'str'>"),
    );
    assert.throws(
      () => parsePythonEnv('python: "3.9"\ndependencies: {a: 1}\n'),
      typeErr("`dependencies` must be a list but got <class 'dict'>"),
    );
    assert.throws(
      () => parsePythonEnv('python: "3.9"\nchannels: [x]\n'),
      typeErr("_PythonEnv.__init__() got an unexpected keyword argument 'channels'"),
    );
    assert.throws(() => parsePythonEnv(''), PythonEnvTypeError);
  });

  it('hashes the spec like _get_virtualenv_name (stable, order-insensitive in requirements)', () => {
    const env = parsePythonEnv(SKLEARN_PYTHON_ENV);
    assert.equal(
      pythonEnvRepr(env),
      "{'python': '3.8', 'build_dependencies': ['pip'], 'dependencies': ['scikit-learn==1.2.0', 'mlflow>=1.0', 'pandas']}",
    );
    // Computed with CPython: sha1(str(dict) + "".join(map(str, sorted(_Requirement(...)))))
    assert.equal(pythonEnvHash(env), '4e618e4df14975c40f71c550f5949ab5bf4758d7');
    assert.equal(pythonEnvName(env), 'mlflow-4e618e4df14975c40f71c550f5949ab5bf4758d7');
    assert.notEqual(pythonEnvHash(env, { envId: 'x' }), pythonEnvHash(env));
    assert.notEqual(pythonEnvHash({ ...env, python: '3.9' }), pythonEnvHash(env));
    assert.equal(pythonEnvHash(env), pythonEnvHash(parsePythonEnv(SKLEARN_PYTHON_ENV)));
  });
});
