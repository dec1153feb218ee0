import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, maskUrl, readGatewayConfig, readServerConfig, readServiceConfig } from './index';

describe('configuration readers', () => {
  it('gives the all-in-one server its documented defaults', () => {
    const config = readServerConfig({}, {});
    assert.equal(config.port, 5000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.home, path.resolve('.cairn'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.logLevel, 'info');
  });

  it('lets command-line flags win over CAIRN_PORT, CAIRN_HOST and CAIRN_HOME', () => {
    const env = { CAIRN_PORT: '5077', CAIRN_HOST: '0.0.0.0', CAIRN_HOME: '/tmp/a' };
    assert.equal(readServerConfig({}, env).port, 5077);
    const flagged = readServerConfig({ port: 6000, host: '::1', home: '/tmp/b' }, env);
    assert.deepEqual([flagged.port, flagged.host, flagged.home], [6000, '::1', '/tmp/b']);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(readServerConfig({}, { CAIRN_PORT: '' }).port, 5000);
  });

  it('names every bad variable, and masks the password of a database URL', () => {
    assert.throws(
      () => readServiceConfig({ CAIRN_DATABASE_URL: 'mysql://u:hunter2@h/db', CAIRN_LOG_LEVEL: 'loud' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /CAIRN_DATABASE_URL=mysql:\/\/u:\*\*\*@h\/db is invalid/);
        assert.match(err.message, /CAIRN_NATS_URL is required/);
        assert.match(err.message, /CAIRN_LOG_LEVEL=loud is invalid/);
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      },
    );
  });

  it('rejects a port that is not a port', () => {
    assert.throws(() => readGatewayConfig({ CAIRN_NATS_URL: 'nats://127.0.0.1:4222', CAIRN_PORT: 'http' }), /CAIRN_PORT=http is invalid/);
    assert.throws(() => readGatewayConfig({ CAIRN_NATS_URL: 'nats://127.0.0.1:4222', CAIRN_PORT: '70000' }), /CAIRN_PORT/);
  });

  it('accepts a NATS cluster as a comma-separated list', () => {
    const config = readGatewayConfig({ CAIRN_NATS_URL: 'nats://a:4222, nats://b:4222' });
    assert.equal(config.natsUrl, 'nats://a:4222, nats://b:4222');
  });

  it('masks only the password part of URLs', () => {
    assert.equal(maskUrl('postgres://cairn:s3cret@db:5432/cairn'), 'postgres://cairn:***@db:5432/cairn');
    assert.equal(maskUrl('postgres://db:5432/cairn'), 'postgres://db:5432/cairn');
  });
});
