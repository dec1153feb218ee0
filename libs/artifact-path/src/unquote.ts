const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Python's urllib.parse.unquote: valid %XX runs are decoded as UTF-8 (invalid bytes become
 * U+FFFD), anything else is left as it is. Never throws, unlike decodeURIComponent.
 */
export function unquote(value: string): string {
  return value.replace(PERCENT_RUN, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return decoder.decode(bytes);
  });
}
