import { invalidParameter } from '@cairn/contracts';
import { parsePythonStringTuple } from './python-list';
import type { Token } from './tokenizer';

/** True for a value MLflow treats as a string: 'single-quoted', or an identifier token (bare or "double-quoted"). */
export function isStringLike(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'identifier';
}

/**
 * The text of a string value. Like MLflow, quotes are only trimmed, never unescaped
 * ('it''s' stays `it''s`), and a bare word or `backticked` value is refused.
 */
export function stringValue(token: Token): string {
  if (token.kind === 'string') return token.parts?.[0] ?? token.raw.slice(1, -1);
  const raw = token.raw;
  const quoted = raw.length >= 2 && (raw[0] === "'" || raw[0] === '"') && raw.endsWith(raw[0]);
  if (!quoted) {
    throw invalidParameter(
      `Parameter value is either not quoted or unidentified quote types used for string value ${raw}. ` +
        'Use either single or double quotes.',
    );
  }
  return raw.slice(1, -1);
}

export function numberValue(token: Token): number {
  return Number(token.raw);
}

/** A number written with a fraction or exponent (`1.0`, `1e3`): MLflow's float token. */
export function isFloatLiteral(token: Token): boolean {
  return /[.eE]/.test(token.raw);
}

/** The strings of an `IN (...)` list, read like MLflow's `ast.literal_eval`; empty or non-string lists are refused. */
export function listValue(token: Token): string[] {
  return parsePythonStringTuple(token.raw);
}
