import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePythonStringTuple } from './python-list';

const ILL_FORMED =
  'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.';
const rejects = (paren: string, message: string) =>
  assert.throws(() => parsePythonStringTuple(paren), { code: 'INVALID_PARAMETER_VALUE', message });

describe('parsePythonStringTuple (IN lists, read like ast.literal_eval)', () => {
  it('reads one or more quoted strings', () => {
    assert.deepEqual(parsePythonStringTuple("('a')"), ['a']);
    assert.deepEqual(parsePythonStringTuple("('a', 'b' , 'c')"), ['a', 'b', 'c']);
    assert.deepEqual(parsePythonStringTuple('("a","b")'), ['a', 'b']);
  });

  it('allows a trailing comma', () => {
    assert.deepEqual(parsePythonStringTuple("('a',)"), ['a']);
    assert.deepEqual(parsePythonStringTuple("('a' , )"), ['a']);
  });

  it('applies Python escapes and joins adjacent strings', () => {
    assert.deepEqual(parsePythonStringTuple("('a\\'b')"), ["a'b"]);
    assert.deepEqual(parsePythonStringTuple("('a\\\\b', 'tab\\there', '\\x41')"), ['a\\b', 'tab\there', 'A']);
    assert.deepEqual(parsePythonStringTuple("('a' 'b')"), ['ab']);
    assert.deepEqual(parsePythonStringTuple("('it''s')"), ['its']);
    assert.deepEqual(parsePythonStringTuple("('50\\%')"), ['50\\%']);
  });

  it('refuses an empty list', () => {
    rejects(
      '()',
      'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
    );
    rejects('(  )', 'While parsing a list in the query, expected a non-empty list of string values, but got empty list');
  });

  it('refuses numbers and other literals with the tuple shown', () => {
    rejects(
      '(1,2)',
      'While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1, 2)',
    );
    rejects(
      "('a', None)",
      "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ('a', None)",
    );
  });

  it('refuses ill-formed lists', () => {
    for (const paren of ["('a',,'b')", '(,)', "('a' 1)", '(abc)', "('unterminated)", "('\\x4')"]) {
      rejects(paren, ILL_FORMED);
    }
  });
});
