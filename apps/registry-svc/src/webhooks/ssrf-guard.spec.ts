import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resolver } from './ssrf-guard';
import { checkWebhookUrl, isForbiddenAddress, SsrfError } from './ssrf-guard';

const dns =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const list = answers[host];
    if (!list) throw new Error('ENOTFOUND');
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const refused = (url: string, allowed: string[] = [], resolve: Resolver = dns({})) =>
  assert.rejects(checkWebhookUrl(url, allowed, resolve), SsrfError, url);

describe('webhook SSRF guard', () => {
  it('classifies IPv4 and IPv6 addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', 'not-an-ip']) {
      assert.equal(isForbiddenAddress(a), true, a);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isForbiddenAddress(a), false, a);
  });

  it('refuses literals of private, loopback, link-local and metadata addresses', async () => {
    for (const url of ['http://127.0.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:8080/', 'http://[fd00:ec2::254]/',
      'http://10.0.0.5/', 'http://[::ffff:169.254.169.254]/', 'http://0x7f000001/', 'http://2130706433/']) {
      await refused(url);
    }
  });

  it('resolves names first and refuses any private answer', async () => {
    const resolve = dns({ localhost: ['127.0.0.1'], 'evil.example': ['93.184.216.34', '10.0.0.1'], 'meta.example': ['fd00:ec2::254'] });
    await refused('http://localhost:9000/hook', [], resolve);
    await refused('https://evil.example/hook', [], resolve);
    await refused('https://meta.example/hook', [], resolve);
    await refused('https://nowhere.example/hook', [], resolve);
  });

  it('accepts public hosts, pinning the checked address', async () => {
    const target = await checkWebhookUrl('https://hooks.example/x', [], dns({ 'hooks.example': ['93.184.216.34'] }));
    assert.deepEqual([target.address, target.family, target.url.hostname], ['93.184.216.34', 4, 'hooks.example']);
  });

  it('lets the operator allow-list hosts, and nothing else', async () => {
    const resolve = dns({ 'ci-receiver.internal': ['10.9.8.7'] });
    assert.equal((await checkWebhookUrl('http://127.0.0.1:8080/', ['127.0.0.1'], resolve)).address, '127.0.0.1');
    assert.equal((await checkWebhookUrl('http://ci-receiver.internal/', ['ci-receiver.internal'], resolve)).address, '10.9.8.7');
    assert.equal((await checkWebhookUrl('http://[::1]/', ['::1'], resolve)).address, '::1');
    await refused('http://127.0.0.2/', ['127.0.0.1'], resolve);
  });

  it('accepts http and https only, without credentials', async () => {
    const resolve = dns({ 'hooks.example': ['93.184.216.34'] });
    for (const url of ['ftp://hooks.example/', 'file:///etc/passwd', 'gopher://hooks.example/', 'https://user:pw@hooks.example/', 'not a url']) {
      await refused(url, [], resolve);
    }
  });
});
