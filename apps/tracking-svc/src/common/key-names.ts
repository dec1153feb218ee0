/**
 * MLflow's rules for metric, param and tag names (utils/validation.py). Python's `\w` is Unicode
 * (letters, digits, marks, underscore), so 'Ünïcode' is a valid key there and here.
 */
export const KEY_PATTERN = /^[/\p{L}\p{N}\p{M}_.\- :]*$/u;
export const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

/** A name must not resolve to another name when treated as a path (`a/../b`, `./a`, `/a`). */
export function pathNotUnique(name: string): boolean {
  const normalized = normalizePosix(name);
  return normalized !== name || normalized === '.' || normalized.startsWith('..') || normalized.startsWith('/');
}

export function badPathMessage(name: string): string {
  return `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalizePosix(name)}'`;
}

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
