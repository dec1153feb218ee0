import { invalidParameter } from '@cairn/contracts';
import { pyStr } from './py-repr';

// MLflow reads `IN (...)` lists with Python's `ast.literal_eval`, so Python's rules apply inside
// them: 'single' or "double" quotes, backslash escapes, adjacent strings concatenated ('a' 'b'
// is 'ab', so 'it''s' is 'its'), an optional trailing comma, `('a')` meaning the string 'a'.

const ILL_FORMED =
  'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.';
const EMPTY = 'While parsing a list in the query, expected a non-empty list of string values, but got empty list';
const PYTHON_LITERAL = /^[+-]?(?:(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?|None|True|False)$/;

type Piece = { kind: 'string'; value: string } | { kind: 'comma' } | { kind: 'other'; raw: string };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/** Reads the escape after a backslash at `text[i]`; returns the text it stands for and its length. */
function readEscape(text: string, i: number): [string, number] {
  const ch = text[i] ?? '';
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return [simple, 1];
  const hexLength = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const hex = text.slice(i + 1, i + 1 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) throw invalidParameter(ILL_FORMED);
    return [String.fromCodePoint(parseInt(hex, 16)), 1 + hexLength];
  }
  const octal = /^[0-7]{1,3}/.exec(text.slice(i));
  if (octal) return [String.fromCharCode(parseInt(octal[0], 8)), octal[0].length];
  return [`\\${ch}`, 1];
}

/** Reads a Python string literal opening at `text[start]`; returns its value and the index after it. */
function readString(text: string, start: number): [string, number] {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === quote) return [value, i + 1];
    if (ch === '\n') break;
    if (ch === '\\') {
      const [escaped, length] = readEscape(text, i + 1);
      value += escaped;
      i += 1 + length;
      continue;
    }
    value += ch;
    i += 1;
  }
  throw invalidParameter(ILL_FORMED);
}

function pieces(inner: string): Piece[] {
  const result: Piece[] = [];
  let i = 0;
  while (i < inner.length) {
    const ch = inner[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "'" || ch === '"') {
      const [value, end] = readString(inner, i);
      result.push({ kind: 'string', value });
      i = end;
    } else if (ch === ',') {
      result.push({ kind: 'comma' });
      i += 1;
    } else {
      const raw = /^[^\s,'"]+/.exec(inner.slice(i))?.[0] ?? ch;
      result.push({ kind: 'other', raw });
      i += raw.length;
    }
  }
  return result;
}

type Element = { kind: 'string'; value: string } | { kind: 'other'; raw: string };

/** Groups pieces into tuple elements, concatenating adjacent strings; refuses `(,)`, `('a',,'b')`, `('a' 1)`. */
function elements(list: Piece[]): Element[] {
  const items: Element[] = [];
  let expectingItem = true;
  for (const piece of list) {
    if (piece.kind === 'comma') {
      if (expectingItem) throw invalidParameter(ILL_FORMED);
      expectingItem = true;
      continue;
    }
    const last = items[items.length - 1];
    if (!expectingItem && piece.kind === 'string' && last?.kind === 'string') {
      last.value += piece.value;
      continue;
    }
    if (!expectingItem) throw invalidParameter(ILL_FORMED);
    items.push(piece.kind === 'string' ? { kind: 'string', value: piece.value } : { kind: 'other', raw: piece.raw });
    expectingItem = false;
  }
  return items;
}

/** Parses `('a', 'b')` into `['a', 'b']` with MLflow's messages for empty, ill-formed and non-string lists. */
export function parsePythonStringTuple(paren: string): string[] {
  const items = elements(pieces(paren.slice(1, -1)));
  if (items.length === 0) throw invalidParameter(EMPTY);
  const others = items.filter((item) => item.kind === 'other');
  if (others.some((item) => !PYTHON_LITERAL.test(item.raw))) throw invalidParameter(ILL_FORMED);
  if (others.length > 0) {
    const shown = items.map((item) => (item.kind === 'string' ? pyStr(item.value) : item.raw));
    const tuple = `(${shown.join(', ')}${shown.length === 1 ? ',' : ''})`;
    throw invalidParameter(
      'While parsing a list in the query, expected string value, punctuation, or whitespace, ' +
        `but got different type in list: ${tuple}`,
    );
  }
  return items.map((item) => (item as { value: string }).value);
}
