import type { ConsumerSerializer, OutgoingResponse } from '@nestjs/microservices';

/**
 * Replies of any size, over a transport whose messages are not: NATS refuses a message over its
 * max_payload (1 MB by default, 8 MB in scripts/infra/nats.sh), and Nest then never answers, so
 * the caller waited out its timeout (a 3,000-run search page: 503 after 30 s; MLflow's client
 * asks for 10,000). A service serializes each reply once (WireReplyInterceptor); one longer than
 * REPLY_PART_CHARS goes as several messages, each a slice of the JSON text, and ServiceClient
 * joins them. Both transports carry the same messages.
 */
export const REPLY_PART_CHARS = 256 * 1024;
const PART = '$cairnReplyPart';

interface ReplyPart {
  [PART]: number;
  parts: number;
  text: string;
}

/** A reply already in JSON: sent as this text, not serialized again. */
export class SerializedReply {
  constructor(readonly json: string) {}
}

/**
 * The messages a handler's result goes out as: one, or its JSON in parts of `partChars` (by
 * default at most 3 bytes a character, escaped: under 1 MB). A transport without a size limit
 * passes Infinity: one message, serialized once.
 */
export function serializeReply(result: unknown, partChars = REPLY_PART_CHARS): unknown[] {
  if (result === undefined) return [undefined];
  const json = JSON.stringify(result);
  if (json.length <= partChars) return [new SerializedReply(json)];
  const parts = Math.ceil(json.length / partChars);
  return Array.from(
    { length: parts },
    (_, i) => new SerializedReply(JSON.stringify({ [PART]: i, parts, text: json.slice(i * partChars, (i + 1) * partChars) })),
  );
}

const isPart = (value: unknown): value is ReplyPart => typeof value === 'object' && value !== null && PART in value;

/** The reply a caller received as one message or as parts (no message: undefined). */
export function assembleReply(values: readonly unknown[]): unknown {
  const [first] = values;
  if (!isPart(first)) return first;
  const parts = values.filter(isPart).sort((a, b) => a[PART] - b[PART]);
  if (parts.length !== first.parts || parts.some((p, i) => p[PART] !== i)) {
    throw new Error(`a reply in ${first.parts} parts arrived with parts ${parts.map((p) => p[PART]).join(', ')}`);
  }
  return JSON.parse(parts.map((p) => p.text).join(''));
}

/** The services' NATS serializer: a SerializedReply is written into the packet as it is. */
export class WireReplySerializer implements ConsumerSerializer {
  serialize(packet: OutgoingResponse): { data: string } {
    const { response, ...rest } = packet;
    if (!(response instanceof SerializedReply)) return { data: JSON.stringify(packet) };
    return { data: `${JSON.stringify(rest).slice(0, -1)}${Object.keys(rest).length > 0 ? ',' : ''}"response":${response.json}}` };
  }
}
