// Python-style repr()s, so messages read exactly like MLflow's (which interpolates Python objects).

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string, quote: string): string {
  if (ch === quote) return `\\${ch}`;
  const escaped = ESCAPES[ch];
  if (escaped) return escaped;
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return ch;
}

/** `repr(str)`: single quotes unless the text holds a single quote and no double quote. */
export function pyStr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  return quote + Array.from(value, (ch) => escapeChar(ch, quote)).join('') + quote;
}

/** `repr(bytes)` of UTF-8 data, e.g. `b'not json'`. */
export function pyBytes(bytes: Uint8Array): string {
  const text = Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = Array.from(bytes, (b) => {
    const ch = String.fromCharCode(b);
    if (b >= 0x80) return `\\x${b.toString(16).padStart(2, '0')}`;
    return escapeChar(ch, quote);
  }).join('');
  return `b${quote}${body}${quote}`;
}

/** `repr()` of a decoded JSON value (dict, list, str, int/float, bool, None). */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pyStr(k)}: ${pyValue(v)}`).join(', ')}}`;
}

/** `repr(list)` of strings: `['a', 'b']`. */
export function pyList(items: readonly string[]): string {
  return `[${items.map(pyStr).join(', ')}]`;
}

/** `repr(set)` of strings, sorted so the message is stable (Python's own order is random). */
export function pySet(items: Iterable<string>): string {
  return `{${[...items].sort().map(pyStr).join(', ')}}`;
}

/** `repr(tuple)` of strings: `('a', 'b')`. */
export function pyTuple(items: readonly string[]): string {
  return `(${items.map(pyStr).join(', ')}${items.length === 1 ? ',' : ''})`;
}
