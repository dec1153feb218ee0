import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { parseExperimentId, validateArtifactLocation, validateExperimentName, validateExperimentTags } from './experiment.rules';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof CairnError ? err.code : 'THREW';
  }
};

describe('experiment rules', () => {
  it('accepts names up to 500 characters and refuses empty or longer ones', () => {
    assert.equal(validateExperimentName('x'.repeat(500)).length, 500);
    assert.equal(codeOf(() => validateExperimentName('x'.repeat(501))), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => validateExperimentName('')), 'INVALID_PARAMETER_VALUE');
  });

  it('refuses non-integer ids and treats out-of-range ones as missing', () => {
    assert.equal(parseExperimentId('0042'), '42');
    assert.equal(codeOf(() => parseExperimentId('abc')), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => parseExperimentId('1.5')), 'INVALID_PARAMETER_VALUE');
    assert.equal(codeOf(() => parseExperimentId('1'.repeat(30))), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('keeps remote artifact locations and refuses server paths, traversal and runs:/ URIs', () => {
    assert.equal(validateArtifactLocation('s3://bucket/prefix'), 's3://bucket/prefix');
    assert.equal(validateArtifactLocation(''), undefined);
    for (const bad of ['file:///etc', '/etc', './rel', 'C:\\data', 's3://b/%2e%2e/x', 's3://b/x#frag', 'runs:/abc/model']) {
      assert.equal(codeOf(() => validateArtifactLocation(bad)), 'INVALID_PARAMETER_VALUE', bad);
    }
  });

  it('validates tag keys and lengths, and keeps the last value of a repeated key', () => {
    assert.deepEqual(validateExperimentTags([{ key: 'a', value: '1' }, { key: 'a', value: '2' }]), [{ key: 'a', value: '2' }]);
    assert.deepEqual(validateExperimentTags([{ key: 'Ünïcode 键', value: 'v' }]), [{ key: 'Ünïcode 键', value: 'v' }], 'Unicode letters, as Python\'s \\w');
    for (const key of ['', 'bad*key', '../up', '/abs', 'k'.repeat(251)]) {
      assert.equal(codeOf(() => validateExperimentTags([{ key, value: 'v' }])), 'INVALID_PARAMETER_VALUE', key);
    }
    assert.equal(codeOf(() => validateExperimentTags([{ key: 'k', value: 'v'.repeat(20_001) }])), 'INVALID_PARAMETER_VALUE');
  });
});
