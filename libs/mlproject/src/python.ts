// Small re-implementations of the Python behaviours MLflow Projects rely on: `shlex.quote`,
// `str()` of YAML-loaded values, `os.path.splitext`, `urllib.parse.urlparse(...).scheme`.

/** A YAML float, kept apart from ints so that `str()` prints it as Python does (`1.0`, not `1`). */
export class PyFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

/** Python's `shlex.quote`: unsafe characters are anything but `[\w@%+=:,./-]` (ASCII). */
export function shellQuote(s: string): string {
  if (s.length === 0) return "''";
  if (!/[^A-Za-z0-9_@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -5 && exp < 16) {
    // Python switches to exponent notation when exp < -4 (repr uses 'r' format: -4 <= exp < 16).
    if (exp < -4) {
      out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e-${String(-exp).padStart(2, '0')}`;
    } else if (exp < 0) {
      out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    } else if (digits.length <= exp + 1) {
      out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    } else {
      out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    }
  } else {
    const e = exp < 0 ? `-${String(-exp).padStart(2, '0')}` : `+${String(exp).padStart(2, '0')}`;
    out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
  }
  return neg ? `-${out}` : out;
}

/** Python's `repr(str)`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python's `repr()` of a YAML-loaded value (str, int, PyFloat, bool, None, list, dict). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return pyStrRepr(v);
  return pyStrOf(v, true);
}

/** Python's `str()` of a YAML-loaded value. JS numbers that are integers print as Python ints. */
export function pyStr(v: unknown): string {
  return pyStrOf(v, false);
}

function pyStrOf(v: unknown, nested: boolean): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return nested ? pyStrRepr(v) : v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : pyFloatRepr(v);
  if (v instanceof PyFloat) return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map((x) => pyStrOf(x, true)).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyStrRepr(k)}: ${pyStrOf(x, true)}`)
      .join(', ')}}`;
  }
  return String(v);
}

/** Python's type name as in `<class 'float'>`. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof Date) return 'datetime.date';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** `os.path.splitext(p)[1]` (POSIX): the extension of the last component, leading dots ignored. */
export function pySplitextExt(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return '';
  if (/^\.+$/.test(base.slice(0, dot + 1))) return '';
  return base.slice(dot);
}

/** `urllib.parse.urlsplit(s)` scheme and netloc (enough for `is_uri` and `get_local_path_or_none`). */
export function pyUrlSplit(url: string): { scheme: string; netloc: string; path: string } {
  // urlsplit strips leading C0 control/space characters and removes tabs and newlines.
  let start = 0;
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++;
  let rest = url.slice(start).replace(/[\t\r\n]/g, '');
  let scheme = '';
  const i = rest.indexOf(':');
  if (i > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(rest.slice(0, i))) {
    scheme = rest.slice(0, i).toLowerCase();
    rest = rest.slice(i + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const after = rest.slice(2);
    const m = after.search(/[/?#]/);
    netloc = m === -1 ? after : after.slice(0, m);
    rest = m === -1 ? '' : after.slice(m);
  }
  const path = rest.replace(/[?#].*$/s, '');
  return { scheme, netloc, path };
}

/** Python's `float(s)` acceptance for strings. */
export function isPyFloatString(s: string): boolean {
  const t = s.trim();
  return /^[+-]?((\d(_?\d)*)?\.?\d(_?\d)*([eE][+-]?\d(_?\d)*)?|\d(_?\d)*\.([eE][+-]?\d(_?\d)*)?|inf|infinity|nan)$/i.test(
    t,
  );
}

/** Python's `int(s)` acceptance for strings (base 10). */
export function isPyIntString(s: string): boolean {
  return /^[+-]?\d(_?\d)*$/.test(s.trim());
}

/**
 * Python's `shlex.split(s)` (POSIX mode, no comments). Throws `ValueError`-like errors with
 * Python's messages for an unclosed quote or a trailing backslash.
 */
export function shellSplit(s: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      token += s[i + 1];
      inToken = true;
      i += 2;
    } else if (ch === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) throw new Error('No closing quotation');
      token += s.slice(i + 1, end);
      inToken = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      inToken = true;
      for (;;) {
        if (i >= s.length) throw new Error('No closing quotation');
        const c = s[i];
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          if (i + 1 >= s.length) throw new Error('No closing quotation');
          const next = s[i + 1];
          // In double quotes a backslash only escapes '"' and '\\'.
          token += next === '"' || next === '\\' ? next : `\\${next}`;
          i += 2;
          continue;
        }
        token += c;
        i++;
      }
    } else {
      token += ch;
      inToken = true;
      i++;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}
