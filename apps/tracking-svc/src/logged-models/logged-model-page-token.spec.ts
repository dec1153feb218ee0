import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { decodeModelPageToken, encodeModelPageToken, searchScope } from './logged-model-page-token';

const messageOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof CairnError ? err.message : 'THREW';
  }
};

describe('search_logged_models page tokens', () => {
  const scope = searchScope({ experiment_ids: ['1'], filter: "name = 'é'", order_by: [{ field_name: 'name' }] });

  it("is base64 of Python's json.dumps of the search and its offset, as MLflow issues it", () => {
    const token = encodeModelPageToken(scope, 50);
    assert.equal(
      Buffer.from(token, 'base64').toString(),
      '{"experiment_ids": ["1"], "filter_string": "name = \'\\u00e9\'", ' +
        '"order_by": [{"field_name": "name", "ascending": true, "dataset_name": null, "dataset_digest": null}], "offset": 50}',
    );
    assert.equal(decodeModelPageToken(token, scope), 50);
  });

  it("refuses a token of another search with MLflow's messages", () => {
    const token = encodeModelPageToken(scope, 50);
    assert.equal(
      messageOf(() => decodeModelPageToken(token, searchScope({ experiment_ids: ['2'], filter: "name = 'é'", order_by: [{ field_name: 'name' }] }))),
      "Experiment IDs in the page token do not match the requested experiment IDs. Expected: ['2']. Found: ['1']",
    );
    assert.equal(
      messageOf(() => decodeModelPageToken(token, searchScope({ experiment_ids: ['1'], order_by: [{ field_name: 'name' }] }))),
      "Filter string in the page token does not match the requested filter string. Expected: None. Found: name = 'é'",
    );
    assert.match(
      messageOf(() => decodeModelPageToken(token, searchScope({ experiment_ids: ['1'], filter: "name = 'é'" }))),
      /^Order by in the page token does not match the requested order by\. Expected: None\. Found: \[\{'field_name': 'name', 'ascending': True, 'dataset_name': None, 'dataset_digest': None\}\]$/,
    );
  });

  it('refuses tokens that are not base64 JSON objects with a whole offset', () => {
    const encode = (text: string) => Buffer.from(text).toString('base64');
    for (const token of ['%%%', encode('not json'), encode('[1]'), encode('{"experiment_ids": ["1"], "offset": -1}')]) {
      assert.match(messageOf(() => decodeModelPageToken(token, searchScope({ experiment_ids: ['1'] }))), /^Invalid page token/, token);
    }
  });
});
