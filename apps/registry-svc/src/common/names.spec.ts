import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CairnError } from '@cairn/contracts';
import { assertAliasNotReserved, parseVersion, validateAlias, validateModelName, validateRegistryTag } from './names';
import { canonicalStage } from './stages';

const messageOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof CairnError ? `${err.code}: ${err.message}` : 'THREW';
  }
};

describe('registry names', () => {
  it('reads versions as Python int() does', () => {
    assert.equal(parseVersion('3'), 3);
    assert.equal(parseVersion(' 007 '), 7);
    assert.equal(parseVersion('1_000'), 1000);
    assert.equal(messageOf(() => parseVersion('1.5')), "INVALID_PARAMETER_VALUE: Parameter 'version' must be an integer, got '1.5'.");
    assert.equal(messageOf(() => parseVersion(undefined)), "INVALID_PARAMETER_VALUE: Parameter 'version' must be an integer, got ''.");
  });

  it('checks model names with MLflow messages', () => {
    assert.equal(validateModelName('churn model.v2'), 'churn model.v2');
    assert.equal(messageOf(() => validateModelName(' ')), "INVALID_PARAMETER_VALUE: Missing value for required parameter 'name'.");
    assert.match(messageOf(() => validateModelName('a:b')), /Names cannot contain '\/' or ':'/);
    assert.match(messageOf(() => validateModelName('..')), /This name would resolve to '\.\.'/);
  });

  it('allows word characters and dashes in aliases, and reserves latest and v<digits>', () => {
    assert.equal(validateAlias('champion_2-b'), 'champion_2-b');
    assert.equal(validateAlias('prüfung'), 'prüfung');
    assert.match(messageOf(() => validateAlias('a.b')), /Invalid alias name: 'a.b'/);
    assert.match(messageOf(() => validateAlias('')), /cannot be empty/);
    assert.match(messageOf(() => assertAliasNotReserved('Latest')), /reserved/);
    assert.match(messageOf(() => assertAliasNotReserved('V7')), /Version alias name 'V7' is reserved/);
    assert.equal(messageOf(() => assertAliasNotReserved('v7a')), 'OK');
  });

  it('limits tags and canonicalizes stages', () => {
    assert.equal(messageOf(() => validateRegistryTag('k', 'v'.repeat(100_000))), 'OK');
    assert.match(messageOf(() => validateRegistryTag('k', 'v'.repeat(100_001))), /'value' exceeds the maximum length of 100000/);
    assert.match(messageOf(() => validateRegistryTag('a/../b', 'v')), /would resolve to 'b'/);
    assert.equal(canonicalStage('PRODUCTION'), 'Production');
    assert.match(messageOf(() => canonicalStage('prod')), /Invalid Model Version stage: prod\. Value must be one of None, Staging, Production, Archived\./);
  });
});
