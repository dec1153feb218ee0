import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomRunName } from './run-names';

describe('randomRunName', () => {
  it("is MLflow's adjective-noun-NNN of at most 20 characters, every time", () => {
    for (let i = 0; i < 20_000; i++) {
      const name = randomRunName();
      assert.match(name, /^[a-z]+-[a-z]+-\d{1,3}$/);
      assert.ok(name.length <= 20, name);
    }
  });
});
