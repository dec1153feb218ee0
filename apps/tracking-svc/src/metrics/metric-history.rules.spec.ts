import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyPageSize, validateBulkRequest, validateIntervalRequest } from './metric-history.rules';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string; message: string }).code + ': ' + (err as Error).message;
  }
  return 'accepted';
};
const runs = (n: number) => Array.from({ length: n }, (_, i) => String(i));

describe('metric history request rules', () => {
  it('pages get-history by at most 25,000, and not at all without max_results', () => {
    assert.equal(historyPageSize(undefined), undefined);
    assert.equal(historyPageSize(10), 10);
    assert.equal(historyPageSize(1_000_000), 25_000);
    assert.match(refusal(() => historyPageSize(0)), /^INVALID_PARAMETER_VALUE: Invalid value 0 for parameter 'max_results'/);
  });

  it("checks get-history-bulk in MLflow's words", () => {
    const refused = 'INVALID_PARAMETER_VALUE: GetMetricHistoryBulk request';
    assert.equal(refusal(() => validateBulkRequest([], 'm', undefined)), `${refused} must specify at least one run_id.`);
    assert.equal(
      refusal(() => validateBulkRequest(runs(101), 'm', undefined)),
      `${refused} cannot specify more than 100 run_ids. Received 101 run_ids.`,
    );
    assert.equal(refusal(() => validateBulkRequest(['a'], undefined, undefined)), `${refused} must specify a metric_key.`);
    assert.equal(validateBulkRequest(['a'], '', 30_000).limit, 25_000);
    assert.equal(validateBulkRequest(runs(100), 'm', undefined).limit, 25_000);
  });

  it("checks get-history-bulk-interval in MLflow's words", () => {
    const ok = { run_ids: ['a'] };
    assert.deepEqual(validateIntervalRequest(ok), { maxResults: 2500, start: undefined, end: undefined });
    assert.equal(
      refusal(() => validateIntervalRequest({ run_ids: runs(101) })),
      'INVALID_PARAMETER_VALUE: GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids. ' +
        'See the API docs for more information about request parameters.',
    );
    for (const max_results of [0, 2501]) {
      assert.equal(
        refusal(() => validateIntervalRequest({ ...ok, max_results })),
        'INVALID_PARAMETER_VALUE: max_results must be between 1 and 2500. See the API docs for more information about request parameters.',
      );
    }
    assert.equal(
      refusal(() => validateIntervalRequest({ ...ok, start_step: 5 })),
      'INVALID_PARAMETER_VALUE: If either start step or end step are specified, both must be specified.',
    );
    assert.equal(
      refusal(() => validateIntervalRequest({ ...ok, start_step: 5, end_step: 4 })),
      'INVALID_PARAMETER_VALUE: end_step must be greater than start_step. Found start_step=5 and end_step=4.',
    );
    assert.deepEqual(validateIntervalRequest({ ...ok, start_step: 5, end_step: 5, max_results: 1 }), { maxResults: 1, start: 5, end: 5 });
  });
});
