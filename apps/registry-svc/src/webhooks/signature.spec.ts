import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretBox } from './secret-box';
import { webhookSignature } from './signature';
import { pyJson, webhookBody } from './webhook-sender';

describe('webhook signature (MLflow _generate_hmac_signature)', () => {
  it('matches the value MLflow computes', () => {
    // python3 -c 'import hmac,hashlib,base64; print("v1,"+base64.b64encode(hmac.new(b"my-secret",
    //   b"d-123.1700000000.{\"entity\": \"model_version\"}", hashlib.sha256).digest()).decode())'
    assert.equal(
      webhookSignature('my-secret', 'd-123', '1700000000', '{"entity": "model_version"}'),
      'v1,5x63EuPanieOeqP5S54nwh+WX0ndcYozhzsWXnA1Ol4=',
    );
  });

  it('signs "<delivery_id>.<timestamp>.<payload>" with UTF-8 secret and content', () => {
    const a = webhookSignature('sécret', 'id', '1', '{"a": "é"}');
    assert.match(a, /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(a, webhookSignature('sécret', 'id', '2', '{"a": "é"}'));
  });

  it('serializes the body as Python json.dumps does', () => {
    assert.equal(pyJson({ a: 1, b: ['x', null], c: 'é' }), '{"a": 1, "b": ["x", null], "c": "\\u00e9"}');
    const body = webhookBody('MODEL_VERSION', 'CREATED', { name: 'm' }, new Date(Date.UTC(2025, 0, 2, 3, 4, 5)));
    // MLflow sends WebhookEntity/WebhookAction values and datetime.isoformat() (microseconds)
    assert.equal(body, '{"entity": "model_version", "action": "created", "timestamp": "2025-01-02T03:04:05.000000+00:00", "data": {"name": "m"}}');
  });

  it('keeps secrets encrypted at rest and readable only with the same key', () => {
    const box = new SecretBox('a-key-of-sixteen-chars');
    const sealed = box.seal('whsec');
    assert.ok(!sealed.includes('whsec'));
    assert.notEqual(box.seal('whsec'), sealed, 'random IV');
    assert.equal(new SecretBox('a-key-of-sixteen-chars').open(sealed), 'whsec');
    assert.throws(() => new SecretBox('another-key-sixteen').open(sealed));
  });
});
