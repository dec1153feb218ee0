import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlainSubject } from './subject-route';

describe('isPlainSubject', () => {
  it("takes Cairn's dotted subjects as their own route", () => {
    for (const subject of ['tracking.runs.create.v1', 'registry.model-versions.create.v1', 'test_x.y']) assert.ok(isPlainSubject(subject), subject);
  });

  it("leaves JSON patterns (Nest's object and number patterns) to Nest", () => {
    for (const pattern of ['{"cmd":"echo","v":1}', '42', '"quoted"', '[1]', '', ' tracking.runs']) assert.ok(!isPlainSubject(pattern), pattern);
  });
});
