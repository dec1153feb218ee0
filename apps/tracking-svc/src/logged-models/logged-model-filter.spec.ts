import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { parseModelFilter, resolveModelOrderBy } from './logged-model-filter';

const messageOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof CairnError ? err.message : 'THREW';
  }
};

describe('logged-model search grammar', () => {
  it('reads attributes (with aliases), metrics, params and tags', () => {
    assert.deepEqual(
      parseModelFilter("name LIKE 'clf%' AND attributes.creation_time > 5 AND metrics.`val acc` >= 0.9 AND params.lr = 0.1 AND tags.t != 'x'"),
      [
        { entity: 'attribute', key: 'name', comparator: 'LIKE', value: 'clf%' },
        { entity: 'attribute', key: 'creation_timestamp_ms', comparator: '>', value: 5 },
        { entity: 'metric', key: 'val acc', comparator: '>=', value: 0.9 },
        { entity: 'param', key: 'lr', comparator: '=', value: '0.1' },
        { entity: 'tag', key: 't', comparator: '!=', value: 'x' },
      ],
    );
    assert.deepEqual(parseModelFilter(''), []);
  });

  it("accepts MLflow's short status names and compares the stored proto names", () => {
    assert.equal(parseModelFilter("status = 'READY'")[0]?.value, 'LOGGED_MODEL_READY');
    assert.equal(parseModelFilter("status != 'FAILED'")[0]?.value, 'LOGGED_MODEL_UPLOAD_FAILED');
    assert.equal(parseModelFilter("status LIKE '%READY'")[0]?.value, '%READY');
  });

  it('refuses operators a key does not take, unknown attributes and dataset clauses', () => {
    assert.match(messageOf(() => parseModelFilter("name < 'a'")), /^Invalid comparison operator for attributes\.name: '<'/);
    assert.match(messageOf(() => parseModelFilter('metrics.a ILIKE 1')), /^Invalid comparison operator for metrics\.a: 'ILIKE'/);
    assert.match(messageOf(() => parseModelFilter("params.a IN ('x')")), /^Invalid comparison operator for params\.a: 'IN'/);
    assert.match(messageOf(() => parseModelFilter("metrics.a > 'high'")), /^Invalid value for metrics\.a: expected a number/);
    assert.match(messageOf(() => parseModelFilter("artifact_uri = 'x'")), /^Invalid attribute key 'artifact_uri' specified/);
    assert.match(messageOf(() => parseModelFilter("datasets.name = 'x'")), /^Invalid entity type: 'datasets'/);
  });

  it('orders by the given fields, then newest first and model_id, as tie-breakers', () => {
    assert.deepEqual(resolveModelOrderBy(undefined), [
      { entity: 'attribute', key: 'creation_timestamp_ms', ascending: false },
      { entity: 'attribute', key: 'model_id', ascending: true },
    ]);
    assert.deepEqual(resolveModelOrderBy([{ field_name: 'metrics.acc', ascending: false, dataset_name: 'test' }, { field_name: 'creation_time' }]), [
      { entity: 'metric', key: 'acc', ascending: false, datasetName: 'test', datasetDigest: undefined },
      { entity: 'attribute', key: 'creation_timestamp_ms', ascending: true },
      { entity: 'attribute', key: 'model_id', ascending: true },
    ]);
    assert.equal(messageOf(() => resolveModelOrderBy([{ field_name: 'tags.a' }])), 'Invalid order by field name: tags.a. Only metrics are supported.');
    assert.equal(messageOf(() => resolveModelOrderBy([{}])), 'Invalid order by field name: ');
  });
});
