import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from './tokenizer';

const kinds = (text: string) => tokenize(text).map((t) => [t.kind, t.raw]);

describe('tokenize', () => {
  it('splits a comparison into identifier, operator and value', () => {
    assert.deepEqual(kinds("metrics.rmse >= 0.5"), [
      ['identifier', 'metrics.rmse'],
      ['operator', '>='],
      ['number', '0.5'],
    ]);
  });

  it('keeps quoted identifier parts together and records them', () => {
    const [tag, metric] = tokenize('tags.`mlflow.runName` metrics."my-metric"');
    assert.deepEqual(tag?.parts, ['tags', '`mlflow.runName`']);
    assert.deepEqual(metric?.parts, ['metrics', '"my-metric"']);
  });

  it('reads single-quoted strings with doubled and backslashed quotes inside', () => {
    assert.deepEqual(kinds("'it''s' 'a\\'b' ''"), [
      ['string', "'it''s'"],
      ['string', "'a\\'b'"],
      ['string', "''"],
    ]);
  });

  it('reads integers, decimals, negatives and scientific notation as numbers', () => {
    for (const n of ['5', '-5', '0.5', '.5', '5.', '-.5', '1e3', '-1.5E-3', '1.5e+3', '00012']) {
      assert.deepEqual(kinds(n), [['number', n]], n);
    }
  });

  it('treats digits glued to letters as a word and hex as stray text', () => {
    assert.deepEqual(kinds('1e 1_000 0x1F'), [
      ['identifier', '1e'],
      ['identifier', '1_000'],
      ['other', '0x1F'],
    ]);
  });

  it('recognises keywords case-insensitively, but not inside identifiers', () => {
    const tokens = tokenize('and Or not IN is null asc DESC tags.in');
    assert.deepEqual(
      tokens.map((t) => t.normalized ?? t.raw),
      ['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'ASC', 'DESC', 'tags.in'],
    );
  });

  it('reads LIKE-family operators with an optional NOT', () => {
    assert.deepEqual(
      tokenize("like ILIKE not  like RLIKE").map((t) => [t.kind, t.normalized]),
      [
        ['operator', 'LIKE'],
        ['operator', 'ILIKE'],
        ['operator', 'NOT LIKE'],
        ['operator', 'RLIKE'],
      ],
    );
  });

  it('does not mistake a word starting with "like" for the operator', () => {
    assert.deepEqual(kinds('likes'), [['identifier', 'likes']]);
  });

  it('takes a run of comparison characters as one operator', () => {
    assert.deepEqual(kinds('a==b <> !='), [
      ['identifier', 'a'],
      ['operator', '=='],
      ['identifier', 'b'],
      ['operator', '<>'],
      ['operator', '!='],
    ]);
  });

  it('keeps a balanced parenthesised group as one token, quotes included', () => {
    assert.deepEqual(kinds("IN ('a)', 'b') x"), [
      ['keyword', 'IN'],
      ['paren', "('a)', 'b')"],
      ['identifier', 'x'],
    ]);
  });

  it('leaves an unterminated quote or parenthesis as a stray token and goes on', () => {
    assert.deepEqual(kinds("'abc"), [
      ['other', "'"],
      ['identifier', 'abc'],
    ]);
    assert.deepEqual(kinds('(a'), [
      ['other', '('],
      ['identifier', 'a'],
    ]);
  });

  it('records where each token starts', () => {
    assert.deepEqual(
      tokenize("a = 'b'").map((t) => t.start),
      [0, 2, 4],
    );
  });

  it('reads unicode names', () => {
    assert.deepEqual(kinds('tags.é'), [['identifier', 'tags.é']]);
  });
});
