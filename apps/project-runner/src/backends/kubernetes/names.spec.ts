import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerNameFor, dns1123Label, jobNameFor } from './names';

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('jobNameFor', () => {
  it('is cairn-<project>-<first 8 of the run id>', () => {
    assert.equal(jobNameFor('sklearn_elasticnet_wine', '0123456789abcdef0123456789abcdef'), 'cairn-sklearn-elasticnet-wine-01234567');
  });

  it('makes any project name a DNS-1123 label of at most 63 characters', () => {
    const names = ['My Project!', '__x__', 'UPPER.case.dots', 'ünïcode-name', 'a'.repeat(200), `${'b'.repeat(47)}--c`, '---', ''];
    for (const name of names) {
      const job = jobNameFor(name, 'ABCDEF0123456789');
      assert.ok(job.length <= 63, `${job} is ${job.length} long`);
      assert.match(job, DNS1123);
      assert.ok(job.endsWith('-abcdef01'), job);
    }
    assert.equal(jobNameFor('My Project!', 'abcdef0123'), 'cairn-my-project-abcdef01');
    assert.equal(jobNameFor('a'.repeat(200), 'abcdef0123'), `cairn-${'a'.repeat(48)}-abcdef01`);
    assert.equal(jobNameFor(`${'b'.repeat(47)}--c`, 'abcdef0123'), `cairn-${'b'.repeat(47)}-abcdef01`);
  });

  it('leaves the project out when there is no usable name', () => {
    assert.equal(jobNameFor(null, 'abcdef0123'), 'cairn-abcdef01');
    assert.equal(jobNameFor('___', 'abcdef0123'), 'cairn-abcdef01');
  });
});

describe('dns1123Label / containerNameFor', () => {
  it('lowercases, replaces and trims', () => {
    assert.equal(dns1123Label('-Foo__Bar.baz-'), 'foo-bar-baz');
    assert.equal(dns1123Label('abc-def', 4), 'abc');
  });

  it('names the container after the project, as MLflow does', () => {
    assert.equal(containerNameFor('Wine_Quality'), 'wine-quality');
    assert.equal(containerNameFor(null), 'run');
    assert.equal(containerNameFor('%%%'), 'run');
  });
});
