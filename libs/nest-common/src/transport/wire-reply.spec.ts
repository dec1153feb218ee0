import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleReply, REPLY_PART_CHARS, SerializedReply, serializeReply, WireReplySerializer } from './wire-reply';

/** What a caller reads: each message's JSON parsed, as the NATS deserializer does. */
const received = (messages: unknown[]) => messages.map((m) => (m instanceof SerializedReply ? JSON.parse(m.json) : m));

describe('replies in parts (wire-reply)', () => {
  it('sends a short reply as one message and a long one in parts no longer than a part, joined back exactly', () => {
    const small = { runs: [{ id: 'a' }] };
    assert.equal(serializeReply(small).length, 1);
    assert.deepEqual(assembleReply(received(serializeReply(small))), small);

    // Quotes, backslashes, emoji (surrogate pairs cut between parts), and other scripts.
    const big = { items: Array.from({ length: 20_000 }, (_, i) => `${i} "q" \\ 😀 é 日本 ${'x'.repeat(i % 97)}`) };
    const messages = serializeReply(big);
    assert.ok(messages.length > 3);
    for (const m of messages) assert.ok(Buffer.byteLength((m as SerializedReply).json) < 1024 * 1024, 'under NATS default max_payload');
    assert.deepEqual(assembleReply(received(messages)), big);
    // a transport without a size limit: one message
    assert.equal(serializeReply(big, Infinity).length, 1);
    assert.deepEqual(assembleReply(received(serializeReply(big, Infinity))), big);
  });

  it('joins parts that arrive out of order, and refuses a reply with a part missing', () => {
    const big = { text: 'y'.repeat(REPLY_PART_CHARS * 2 + 5) };
    const parts = received(serializeReply(big));
    assert.equal(parts.length, 3);
    assert.deepEqual(assembleReply([parts[2], parts[0], parts[1]]), big);
    assert.throws(() => assembleReply([parts[0], parts[2]]), /a reply in 3 parts arrived with parts 0, 2/);
  });

  it('passes nothing through as nothing, and a reply of exactly one part as one message', () => {
    assert.deepEqual(serializeReply(undefined), [undefined]);
    assert.equal(assembleReply([]), undefined);
    const exact = 'z'.repeat(REPLY_PART_CHARS - 2); // JSON adds the two quotes
    assert.equal(serializeReply(exact).length, 1);
    assert.equal(serializeReply(`${exact}z`).length, 2);
  });

  it('writes a serialized reply into the NATS packet as it is, and any other packet as JSON', () => {
    const serializer = new WireReplySerializer();
    const packet = { id: 'abc', isDisposed: true, response: new SerializedReply('{"a":[1,2]}') };
    assert.deepEqual(JSON.parse(serializer.serialize(packet).data), { id: 'abc', isDisposed: true, response: { a: [1, 2] } });
    assert.deepEqual(JSON.parse(serializer.serialize({ id: 'abc', response: new SerializedReply('null') }).data), { id: 'abc', response: null });
    assert.deepEqual(JSON.parse(serializer.serialize({ id: 'e', err: { code: 'X' }, isDisposed: true }).data), { id: 'e', err: { code: 'X' }, isDisposed: true });
  });
});
