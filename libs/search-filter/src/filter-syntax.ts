import { invalidParameter } from '@cairn/contracts';
import { pyStr } from './py-repr';
import { tokenize, type Token } from './tokenizer';

/** A comparison as written, before any search's rules: `left comparator right`. */
export interface SyntaxClause {
  left: Token;
  /** Upper-cased: `=`, `<>`, `LIKE`, `NOT LIKE`, `IN`, `NOT IN`, `IS NULL`, `IS NOT NULL`, ... */
  comparator: string;
  /** Absent for IS [NOT] NULL. */
  right?: Token;
}

/** How "Invalid clause(s)" lists the stray tokens: runs quote each one, the other searches do not. */
export type InvalidClauseStyle = 'quoted' | 'plain';

const OPERAND_KINDS = new Set(['identifier', 'string', 'number', 'paren', 'operation']);
const ARITHMETIC = /^[+\-*/%]+$/;

function isKeyword(token: Token | undefined, word: string): boolean {
  return token?.kind === 'keyword' && token.normalized === word;
}

function isOperand(token: Token | undefined): token is Token {
  return token !== undefined && (OPERAND_KINDS.has(token.kind) || isKeyword(token, 'NULL'));
}

/** The comparison starting at `tokens[i]` and how many tokens it spans, if one starts there. */
function clauseAt(tokens: Token[], i: number): { clause: SyntaxClause; length: number } | undefined {
  const [left, second, third, fourth] = tokens.slice(i, i + 4);
  if (!isOperand(left) || second === undefined) return undefined;
  if (second.kind === 'operator' && isOperand(third)) {
    return { clause: { left, comparator: second.normalized ?? second.raw, right: third }, length: 3 };
  }
  if (left.kind !== 'identifier') return undefined;
  if (isKeyword(second, 'IN') && third?.kind === 'paren') {
    return { clause: { left, comparator: 'IN', right: third }, length: 3 };
  }
  if (isKeyword(second, 'NOT') && isKeyword(third, 'IN') && fourth?.kind === 'paren') {
    return { clause: { left, comparator: 'NOT IN', right: fourth }, length: 4 };
  }
  if (isKeyword(second, 'IS') && isKeyword(third, 'NULL')) {
    return { clause: { left, comparator: 'IS NULL' }, length: 3 };
  }
  if (isKeyword(second, 'IS') && isKeyword(third, 'NOT') && isKeyword(fourth, 'NULL')) {
    return { clause: { left, comparator: 'IS NOT NULL' }, length: 4 };
  }
  return undefined;
}

/**
 * Joins `operand (+|-|*|/|%) operand ...` into one `operation` token, as sqlparse does, so an
 * unquoted `metrics.my-metric` is reported whole rather than as stray pieces.
 */
function groupOperations(text: string, tokens: Token[]): Token[] {
  const grouped: Token[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    let end = i;
    while (
      isOperand(tokens[end]) &&
      tokens[end + 1]?.kind === 'other' &&
      ARITHMETIC.test(tokens[end + 1]?.raw ?? '') &&
      isOperand(tokens[end + 2])
    ) {
      end += 2;
    }
    if (end === i) {
      grouped.push(token);
      continue;
    }
    const last = tokens[end] as Token;
    grouped.push({ kind: 'operation', raw: text.slice(token.start, last.start + last.raw.length), start: token.start });
    i = end;
  }
  return grouped;
}

function rejectMultipleStatements(filter: string, tokens: Token[]): void {
  const semicolon = tokens.findIndex((t) => t.kind === 'other' && t.raw === ';');
  if (semicolon >= 0 && tokens.slice(semicolon + 1).some((t) => t.raw !== ';')) {
    throw invalidParameter(
      `Search filter contained multiple expression ${pyStr(filter)}. Provide AND-ed expression list.`,
    );
  }
}

/**
 * Splits a filter into comparisons joined by AND, as MLflow's `_process_statement` does: AND is
 * optional between comparisons, and any token that is not part of a comparison (OR, NOT, a
 * parenthesised group, a dangling operand, ...) fails the whole filter with "Invalid clause(s)".
 */
export function parseFilterSyntax(filter: string, style: InvalidClauseStyle = 'quoted'): SyntaxClause[] {
  if (filter.trim() === '') throw invalidParameter(`Invalid filter '${filter}'. Could not be parsed.`);
  const tokens = groupOperations(filter, tokenize(filter));
  rejectMultipleStatements(filter, tokens);
  const clauses: SyntaxClause[] = [];
  const invalid: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (isKeyword(tokens[i], 'AND')) {
      i += 1;
      continue;
    }
    const found = clauseAt(tokens, i);
    if (found) {
      clauses.push(found.clause);
      i += found.length;
    } else {
      invalid.push(tokens[i] as Token);
      i += 1;
    }
  }
  if (invalid.length > 0) {
    const listed = invalid.map((t) => (style === 'quoted' ? `'${t.raw}'` : t.raw)).join(', ');
    throw invalidParameter(`Invalid clause(s) in filter string: ${listed}`);
  }
  return clauses;
}
