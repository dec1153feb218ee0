import { invalidParameter } from '@cairn/contracts';
import { unquote } from './unquote';

export const MAX_ARTIFACT_PATH_LENGTH = 4096;
export const MAX_SEGMENT_BYTES = 255;
const MAX_DECODE_ROUNDS = 10;
// NUL and control characters, backslashes (Windows separators), and the URL delimiters that
// smuggled paths past MLflow's checks: '#' fragments, '?' queries and ';' path parameters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f\\#?;]/;

const invalidPath = () => invalidParameter('Invalid path');

/**
 * THE artifact-path check: every path a client names (route, query or body) passes here before
 * any store sees it. The path is decoded until it stops changing and both the form as received
 * and the fully decoded form must be relative, free of `..` segments, backslashes, drive letters,
 * NUL/control characters, `#`, `?` and `;`. Returns the received form normalized (no empty or `.`
 * segments); '' is the root. Anything else is 400 INVALID_PARAMETER_VALUE "Invalid path".
 */
export function canonicalArtifactPath(raw: string | undefined | null): string {
  const received = raw ?? '';
  if (received.length > MAX_ARTIFACT_PATH_LENGTH) throw invalidPath();
  const segments = checkedSegments(received);
  checkedSegments(fullyDecoded(received));
  return segments.join('/');
}

/** `root/relative`, both canonical; the result stays inside `root` by construction. */
export function joinArtifactPath(root: string, relative: string | undefined | null): string {
  const base = canonicalArtifactPath(root);
  const rest = canonicalArtifactPath(relative);
  return [base, rest].filter(Boolean).join('/');
}

function fullyDecoded(value: string): string {
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = unquote(current);
    if (next === current) return current;
    current = next;
  }
  throw invalidPath();
}

function checkedSegments(path: string): string[] {
  if (FORBIDDEN.test(path) || path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalidPath();
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  for (const segment of segments) {
    if (segment === '..' || Buffer.byteLength(segment) > MAX_SEGMENT_BYTES || segment.includes('\uFFFD')) throw invalidPath();
  }
  return segments;
}
