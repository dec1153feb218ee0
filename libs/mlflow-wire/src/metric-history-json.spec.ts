import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricHistoryJson } from './metric-history-json';

describe('metricHistoryJson (MLflow get-history JSON from columns)', () => {
  it('writes one object per point, in order, with the key, and the page token', () => {
    const text = metricHistoryJson('loss', { timestamps: '1700000000000,1700000000001', steps: '0,-1', values: '0.5,1e+21' }, 'eyJvZmZzZXQiOiAyfQ==');
    assert.deepEqual(JSON.parse(text), {
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 1700000000000, step: 0 },
        { key: 'loss', value: 1e21, timestamp: 1700000000001, step: -1 },
      ],
      next_page_token: 'eyJvZmZzZXQiOiAyfQ==',
    });
  });

  it('writes NaN and the infinities as protobuf JSON strings, every other value as the number it is', () => {
    const values = ['NaN', 'Infinity', '-Infinity', '-0', '5e-324', '1.7976931348623157e+308', '0.30000000000000004'];
    const text = metricHistoryJson('m', { timestamps: values.map(() => '1').join(','), steps: values.map((_, i) => String(i)).join(','), values: values.join(',') });
    const parsed = JSON.parse(text).metrics.map((m: { value: unknown }) => m.value);
    assert.deepEqual(parsed, ['NaN', 'Infinity', '-Infinity', -0, 5e-324, 1.7976931348623157e308, 0.30000000000000004]);
  });

  it('keeps int64 timestamps and steps exact in the text', () => {
    const text = metricHistoryJson('m', { timestamps: '9223372036854775807', steps: '-9223372036854775808', values: '1' });
    assert.ok(text.includes('"timestamp":9223372036854775807,"step":-9223372036854775808'));
  });

  it('escapes the key as JSON', () => {
    const key = 'a "quoted" \\ key\u2028é';
    assert.equal(JSON.parse(metricHistoryJson(key, { timestamps: '1', steps: '2', values: '3' })).metrics[0].key, key);
  });

  it('answers {} for an empty history, as MLflow leaves empty lists out', () => {
    assert.equal(metricHistoryJson('m', { timestamps: '', steps: '', values: '' }), '{}');
  });
});
