import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PyFloat, isPyFloatString, pyFloatRepr, pySplitextExt, pyStr, pyUrlSplit, shellQuote, shellSplit } from './python';

describe('shellQuote (shlex.quote)', () => {
  it('matches Python for safe, unsafe and edge-case strings', () => {
    // Expected values produced by CPython's shlex.quote.
    const cases: [string, string][] = [
      ['', "''"],
      ['abc', 'abc'],
      ['a b', "'a b'"],
      ["it's", `'it'"'"'s'`],
      ['$HOME', "'$HOME'"],
      ['a"b', `'a"b'`],
      ['x;rm -rf /', "'x;rm -rf /'"],
      ['é', "'é'"],
      ['-n', '-n'],
      ['a=b,c:d/e.f@%+', 'a=b,c:d/e.f@%+'],
      ['`id`', "'`id`'"],
      ['a\nb', "'a\nb'"],
      ['*', "'*'"],
      ["''", `''"'"''"'"''`],
    ];
    for (const [input, expected] of cases) assert.equal(shellQuote(input), expected, JSON.stringify(input));
  });
});

describe('Python str() of YAML values', () => {
  it('prints floats like Python repr', () => {
    const cases: [number, string][] = [
      [0.5, '0.5'],
      [1, '1.0'],
      [1e16, '1e+16'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [123456789012345.6, '123456789012345.6'],
      [1e22, '1e+22'],
      [1.5e-7, '1.5e-07'],
      [-2.5, '-2.5'],
      [100000, '100000.0'],
      [Infinity, 'inf'],
      [NaN, 'nan'],
    ];
    for (const [x, expected] of cases) assert.equal(pyFloatRepr(x), expected, String(x));
  });

  it('prints ints, bools, None, lists and dicts', () => {
    assert.equal(pyStr(100000), '100000');
    assert.equal(pyStr(new PyFloat(0.1)), '0.1');
    assert.equal(pyStr(true), 'True');
    assert.equal(pyStr(null), 'None');
    assert.equal(pyStr(['a', 1, new PyFloat(2)]), "['a', 1, 2.0]");
    assert.equal(pyStr({ k: "it's" }), `{'k': "it's"}`);
  });
});

describe('os.path.splitext / urlparse / float()', () => {
  it('finds extensions like os.path.splitext', () => {
    const cases: [string, string][] = [
      ['train.py', '.py'],
      ['.py', ''],
      ['a/.sh', ''],
      ['x.tar.sh', '.sh'],
      ['..sh', ''],
      ['dir.x/run', ''],
      ['run.R', '.R'],
    ];
    for (const [p, ext] of cases) assert.equal(pySplitextExt(p), ext, p);
  });

  it('splits schemes and netlocs like urlparse', () => {
    const cases: [string, string, string][] = [
      ['s3://b/k', 's3', 'b'],
      ['/abs', '', ''],
      ['rel/x', '', ''],
      ['file:///tmp/x', 'file', ''],
      ['file://host/x', 'file', 'host'],
      ['C:/x', 'c', ''],
      ['runs:/abc/model', 'runs', ''],
      ['http://x', 'http', 'x'],
      ['a_b:c', '', ''],
    ];
    for (const [u, scheme, netloc] of cases) {
      const r = pyUrlSplit(u);
      assert.deepEqual([r.scheme, r.netloc], [scheme, netloc], u);
    }
  });

  it('accepts what float() accepts', () => {
    for (const s of ['0.5', '1', ' 2 ', '-1e5', '1_000.5', '.5', '5.', 'inf', '-Infinity', 'nan', '+1E-3']) {
      assert.ok(isPyFloatString(s), s);
    }
    for (const s of ['', 'abc', '1,5', '0x10', '1__0', '_1', '1e', 'e5', '.']) assert.ok(!isPyFloatString(s), s);
  });
});

describe('shellSplit (shlex.split)', () => {
  it('splits like Python (expected values from CPython)', () => {
    assert.deepEqual(shellSplit('python train.py 0.5'), ['python', 'train.py', '0.5']);
    assert.deepEqual(shellSplit(`echo 'a b' --k 'it'"'"'s'`), ['echo', 'a b', '--k', "it's"]);
    assert.deepEqual(shellSplit(`a\\ b "c\\"d\\e" ''`), ['a b', 'c"d\\e', '']);
    assert.deepEqual(shellSplit('  x  '), ['x']);
    assert.throws(() => shellSplit('"abc'), /No closing quotation/);
    assert.throws(() => shellSplit("'x"), /No closing quotation/);
    assert.throws(() => shellSplit('abc\\'), /No escaped character/);
  });

  it('round-trips shellQuote', () => {
    for (const v of ['', 'a b', "it's", '$HOME', '"', '\\', 'a\nb']) assert.deepEqual(shellSplit(`x ${shellQuote(v)}`), ['x', v]);
  });
});
