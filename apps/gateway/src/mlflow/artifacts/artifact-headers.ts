import { lookup } from 'mime-types';

// MLflow's get_text_extensions(): served as text/plain so the UI can preview them.
const TEXT_EXTENSIONS = new Set(
  'txt log err cfg conf cnf cf ini properties prop hocon toml yaml yml xml json js py py3 csv tsv md rst ipynb MLmodel MLproject'.split(' '),
);
// Types a browser would render as a document on Cairn's origin (stored XSS, CVE-2023-6568).
const ACTIVE_DOCUMENT_TYPES = new Set(['text/html', 'application/xhtml+xml']);
// werkzeug's token characters: a filename made only of these needs no quoting.
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z|~]+$/;
// RFC 5987 attr-char, as MLflow quotes filename* (urllib.parse.quote(safe="!#$&+-.^_`|~")).
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/**
 * The Content-Type of a downloaded artifact, guessed from its name as MLflow's
 * `_guess_mime_type` does, except that nothing is ever served as HTML.
 */
export function artifactContentType(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const extension = dot > 0 ? filename.slice(dot + 1) : filename;
  if (TEXT_EXTENSIONS.has(extension)) return 'text/plain';
  const guessed = lookup(filename) || 'application/octet-stream';
  return ACTIVE_DOCUMENT_TYPES.has(guessed) ? 'text/plain' : guessed;
}

/** `attachment; filename=…` (RFC 6266), with an RFC 5987 `filename*` for non-ASCII names. */
export function contentDisposition(filename: string): string {
  if (/^[\x20-\x7e]*$/.test(filename)) return `attachment; filename=${quoteHeaderValue(filename)}`;
  const fallback = filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '') || 'download';
  return `attachment; filename=${quoteHeaderValue(fallback)}; filename*=UTF-8''${rfc5987(filename)}`;
}

function quoteHeaderValue(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function rfc5987(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
