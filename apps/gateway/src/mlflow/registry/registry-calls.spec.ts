import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorFrom } from './registry-calls';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('the actor of a registry command', () => {
  it('is the Basic-auth user first, then X-Cairn-User, then user_id', () => {
    assert.equal(actorFrom({ authorization: basic('alice:pw:with:colons'), 'x-cairn-user': 'bob' }), 'alice');
    assert.equal(actorFrom({ authorization: 'Bearer token', 'x-cairn-user': ' bob ' }), 'bob');
    assert.equal(actorFrom({ user_id: 'carol' } as Record<string, string>), 'carol');
    assert.equal(actorFrom({}), undefined);
    assert.equal(actorFrom({ authorization: basic(':pw') }), undefined);
  });

  it('drops control characters and keeps at most 256 characters', () => {
    assert.equal(actorFrom({ 'x-cairn-user': 'eve\u0000\u001b[31m' }), 'eve[31m');
    assert.equal(actorFrom({ 'x-cairn-user': 'x'.repeat(300) })?.length, 256);
  });
});
