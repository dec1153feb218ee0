import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExperimentIds } from './experiment-ids';

describe('parseExperimentIds', () => {
  it("reads ids as Python's int() does", () => {
    assert.deepEqual(parseExperimentIds(['0', ' 12 ', '+3', '1_000', '007']), ['0', '12', '3', '1000', '7']);
  });

  it('drops duplicates and ids that can name no experiment', () => {
    assert.deepEqual(parseExperimentIds(['5', '5', '-1', '99999999999999999999']), ['5']);
    assert.deepEqual(parseExperimentIds([]), []);
  });

  it("refuses a non-integer with MLflow's message", () => {
    for (const id of ['abc', '1.5', '', '1__0', '0x1F']) {
      assert.throws(() => parseExperimentIds(['1', id]), {
        code: 'INVALID_PARAMETER_VALUE',
        message: `Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`,
      });
    }
  });
});
