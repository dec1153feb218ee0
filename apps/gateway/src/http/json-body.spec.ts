import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonBody } from './json-body';

describe('parseJsonBody', () => {
  it('reads an empty body as {} and decodes a double-encoded body', () => {
    assert.deepEqual(parseJsonBody(''), {});
    assert.deepEqual(parseJsonBody(JSON.stringify(JSON.stringify({ name: 'x' }))), { name: 'x' });
  });

  it('refuses malformed JSON and non-object bodies with INVALID_PARAMETER_VALUE', () => {
    for (const body of ['{"a":', '[1,2]', '42', 'null']) {
      assert.throws(() => parseJsonBody(body), { code: 'INVALID_PARAMETER_VALUE' }, body);
    }
  });
});
