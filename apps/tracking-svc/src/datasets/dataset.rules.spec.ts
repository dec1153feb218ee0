import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { distinctModelOutputs, validateDatasetInputs } from './dataset.rules';

const dataset = (name: string, digest: string) => ({ name, digest, source_type: 'local', source: 's' });
const messageOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof CairnError ? err.message : 'THREW';
  }
};

describe('dataset input rules', () => {
  it('keeps the first input of each (name, digest), in a stable order', () => {
    const inputs = validateDatasetInputs([
      { tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: dataset('b', '1') },
      { tags: [], dataset: dataset('a', '2') },
      { tags: [{ key: 'mlflow.data.context', value: 'eval' }], dataset: dataset('b', '1') },
    ]);
    assert.deepEqual(
      inputs.map((i) => [i.dataset.name, i.tags[0]?.value]),
      [['a', undefined], ['b', 'train']],
    );
  });

  it("applies MLflow's size limits with its messages", () => {
    assert.equal(messageOf(() => validateDatasetInputs([{ tags: [], dataset: dataset('n'.repeat(501), '1') }])), "'name' exceeds the maximum length of 500 characters");
    assert.equal(
      messageOf(() => validateDatasetInputs([{ tags: [], dataset: { ...dataset('a', '1'), source_type: 't'.repeat(37) } }])),
      "'source_type' exceeds the maximum length of 36 characters",
    );
    assert.match(messageOf(() => validateDatasetInputs(Array.from({ length: 1001 }, (_, i) => ({ tags: [], dataset: dataset('a', String(i)) })))), /at most 1000 datasets/);
  });

  it('treats a missing output step as 0 and drops repeated outputs', () => {
    assert.deepEqual(distinctModelOutputs([{ model_id: 'm-2', step: 1 }, { model_id: 'm-1' } as never, { model_id: 'm-2', step: 1 }]), [
      { model_id: 'm-1', step: 0 },
      { model_id: 'm-2', step: 1 },
    ]);
  });
});
