// Lexer for MLflow's SQL-like search syntax. It follows the sqlparse rules MLflow relies on:
// single quotes make strings ('' and \' do not end them), double quotes and backticks quote
// identifiers, numbers may be negative, decimal or scientific, and `(...)` is one token.

export type TokenKind =
  | 'identifier' // name, dotted name, `quoted`, "quoted", or a mix: tags.`mlflow.runName`
  | 'string' // 'single-quoted'
  | 'number' // 1, -2, 0.5, .5, 5., 1e-3
  | 'operator' // = != <> == < <= > >= (any run of <>=~!) and [NOT] LIKE / ILIKE / RLIKE
  | 'keyword' // AND OR NOT IN IS NULL ASC DESC, outside identifiers
  | 'paren' // a balanced (...) group, kept raw
  | 'operation' // operands joined by arithmetic: metrics.my-metric (made by the filter parser)
  | 'other'; // anything else: ; , + - 0x1F, an unterminated quote, a comment

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  raw: string;
  /** Where the token starts in the source text. */
  start: number;
  /** identifier: its dot-separated parts, quotes kept (`a b`, "x"); string: the text between the quotes. */
  parts?: string[];
  /** keyword and operator: upper-cased, whitespace collapsed (`NOT LIKE`). */
  normalized?: string;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'ASC', 'DESC']);

// Sticky patterns, tried in order at the current position.
const WHITESPACE = /\s+/y;
const COMMENT = /--[^\r\n]*/y;
const LIKE_OPERATOR = /(?:NOT\s+)?(?:LIKE|ILIKE|RLIKE)(?![\p{L}\p{N}\p{M}_$#])/iuy;
const COMPARISON = /[<>=~!]+/y;
const HEX = /-?0x[0-9a-f]+/iy;
const NUMBER = /-?(?:(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+|\d+\.\d*|\.\d+|\d+)(?![\p{L}\p{M}_])/uy;
const WORD = /[\p{L}\p{N}\p{M}_][\p{L}\p{N}\p{M}_$#]*/uy;
const SINGLE_QUOTED = /'(?:''|\\'|[^'])*'/y;
const DOUBLE_QUOTED = /"(?:""|\\"|[^"])*"/y;
const BACKTICKED = /`(?:``|[^`])*`/y;
const OPERATOR_RUN = /[+\-*/@#%^&|]+/y;

function matchAt(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  const m = pattern.exec(text);
  return m ? m[0] : undefined;
}

/** One part of a dotted identifier at `pos`: a word or a quoted name ('x' only after a dot). */
function identifierPart(text: string, pos: number, afterDot: boolean): string | undefined {
  return (
    matchAt(WORD, text, pos) ??
    matchAt(BACKTICKED, text, pos) ??
    matchAt(DOUBLE_QUOTED, text, pos) ??
    (afterDot ? matchAt(SINGLE_QUOTED, text, pos) : undefined)
  );
}

function lexIdentifier(text: string, pos: number): Lexed | undefined {
  const first = identifierPart(text, pos, false);
  if (first === undefined) return undefined;
  const parts = [first];
  let end = pos + first.length;
  while (text[end] === '.') {
    const next = identifierPart(text, end + 1, true);
    if (next === undefined) break;
    parts.push(next);
    end += 1 + next.length;
  }
  const raw = text.slice(pos, end);
  if (parts.length === 1 && matchAt(WORD, first, 0) === first && KEYWORDS.has(first.toUpperCase())) {
    return { kind: 'keyword', raw, normalized: first.toUpperCase() };
  }
  return { kind: 'identifier', raw, parts };
}

/** The end (exclusive) of the balanced group opening at `pos`, skipping quoted text; -1 if unclosed. */
function closingParen(text: string, pos: number): number {
  let depth = 0;
  let i = pos;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      const pattern = ch === "'" ? SINGLE_QUOTED : ch === '"' ? DOUBLE_QUOTED : BACKTICKED;
      const quoted = matchAt(pattern, text, i);
      i += quoted ? quoted.length : 1;
      continue;
    }
    if (ch === '(') depth += 1;
    if (ch === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return -1;
}

type Lexed = Omit<Token, 'start'>;

function lexOne(text: string, pos: number): Lexed {
  const ch = text[pos];
  const comment = matchAt(COMMENT, text, pos);
  if (comment !== undefined) return { kind: 'other', raw: comment };
  const like = matchAt(LIKE_OPERATOR, text, pos);
  if (like !== undefined) return { kind: 'operator', raw: like, normalized: like.toUpperCase().replace(/\s+/g, ' ') };
  const comparison = matchAt(COMPARISON, text, pos);
  if (comparison !== undefined) return { kind: 'operator', raw: comparison, normalized: comparison };
  const hex = matchAt(HEX, text, pos);
  if (hex !== undefined) return { kind: 'other', raw: hex };
  const number = matchAt(NUMBER, text, pos);
  if (number !== undefined) return { kind: 'number', raw: number };
  const single = matchAt(SINGLE_QUOTED, text, pos);
  if (single !== undefined) return { kind: 'string', raw: single, parts: [single.slice(1, -1)] };
  const identifier = lexIdentifier(text, pos);
  if (identifier) return identifier;
  if (ch === '(') {
    const end = closingParen(text, pos);
    if (end > 0) return { kind: 'paren', raw: text.slice(pos, end) };
  }
  const operatorRun = matchAt(OPERATOR_RUN, text, pos);
  if (operatorRun !== undefined) return { kind: 'other', raw: operatorRun };
  return { kind: 'other', raw: String.fromCodePoint(text.codePointAt(pos) ?? 0) };
}

/** Splits `text` into tokens, dropping whitespace. Never throws: unknown text becomes `other` tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const space = matchAt(WHITESPACE, text, pos);
    if (space !== undefined) {
      pos += space.length;
      continue;
    }
    const token = lexOne(text, pos);
    tokens.push({ ...token, start: pos });
    pos += token.raw.length;
  }
  return tokens;
}
