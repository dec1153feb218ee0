import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelTagsDict, pyJsonDumps } from './model-tags';

describe("log-model's history entry (MLflow's Model.get_tags_dict)", () => {
  const model = {
    mlflow_version: '2.22.5',
    flavors: {
      python_function: { loader_module: 'mlflow.sklearn', env: { conda: 'conda.yaml' }, config: { k: 1 } },
      sklearn: { sklearn_version: '1.5.0', config: { secret: 'drop me' } },
      odd: 'not a dict',
    },
    signature: { inputs: '[]' },
    saved_input_example_info: { artifact_path: 'input_example.json' },
    model_size_bytes: 1234,
    utc_time_created: '2024-01-01 00:00:00.000000',
    artifact_path: 'model',
    model_uuid: 'abc',
    metadata: { a: 1 },
    run_id: 'r1',
  };

  it('keeps run_id, artifact_path, utc_time_created, model_uuid and the flavors without their config, in that order', () => {
    const entry = modelTagsDict(model);
    assert.deepEqual(Object.keys(entry), ['run_id', 'artifact_path', 'utc_time_created', 'model_uuid', 'flavors']);
    assert.deepEqual(entry['flavors'], {
      python_function: { loader_module: 'mlflow.sklearn', env: { conda: 'conda.yaml' } },
      sklearn: { sklearn_version: '1.5.0' },
      odd: 'not a dict',
    });
    assert.equal(
      pyJsonDumps([entry]),
      '[{"run_id": "r1", "artifact_path": "model", "utc_time_created": "2024-01-01 00:00:00.000000", "model_uuid": "abc", ' +
        '"flavors": {"python_function": {"loader_module": "mlflow.sklearn", "env": {"conda": "conda.yaml"}}, ' +
        '"sklearn": {"sklearn_version": "1.5.0"}, "odd": "not a dict"}}]',
    );
  });

  it('fills in what Model.from_dict fills in: a null model_uuid, the current time, no flavors', () => {
    const now = new Date('2026-11-25T12:13:14.567Z');
    const entry = modelTagsDict({ run_id: 'r', artifact_path: 'm', utc_time_created: null, flavors: null }, now);
    assert.deepEqual(entry, { run_id: 'r', artifact_path: 'm', utc_time_created: '2026-11-25 12:13:14.567000', model_uuid: null, flavors: {} });
    assert.equal(modelTagsDict({ run_id: 'r', artifact_path: 'm', utc_time_created: 17, flavors: {} })['utc_time_created'], '17');
  });

  it('refuses flavors that are not an object', () => {
    assert.throws(() => modelTagsDict({ run_id: 'r', artifact_path: 'm', utc_time_created: 'x', flavors: ['a'] }), {
      code: 'INVALID_PARAMETER_VALUE',
    });
  });
});
