/**
 * MLflow's rules for metric, param, tag and model names (mlflow/utils/validation.py), shared by
 * every service that validates them.
 */

/** Python's `\w` is Unicode (letters, digits, underscore); JavaScript's is ASCII unless spelled out. */
export const KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;

export const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

/** Python's posixpath.normpath. */
export function normalizePosix(p: string): string {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** A name must not resolve to another name when treated as a path (`a/../b`, `./a`, `/a`). */
export function pathNotUnique(name: string): boolean {
  const normalized = normalizePosix(name);
  return normalized !== name || normalized === '.' || normalized.startsWith('..') || normalized.startsWith('/');
}

/** Python's repr of a str. */
export const pyRepr = (value: string) =>
  value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;

export function badPathMessage(name: string): string {
  return (
    'Names may be treated as files in certain cases, and must not resolve to other names when treated as such. ' +
    `This name would resolve to ${pyRepr(normalizePosix(name))}`
  );
}
