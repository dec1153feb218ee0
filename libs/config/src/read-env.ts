import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

/** Raised when configuration is missing or invalid; the message names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a zod shape whose keys are the variable names.
 * Empty strings count as unset, so `CAIRN_PORT=` falls back to the default.
 */
export function readEnv<S extends z.ZodRawShape>(shape: S, env: Env): z.infer<z.ZodObject<S>> {
  const present = Object.fromEntries(
    Object.keys(shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const result = z.object(shape).safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const given = present[name];
        return given === undefined
          ? `${name} is required: ${issue.message}`
          : `${name}=${maskSecret(name, given)} is invalid: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

/** Masks the password in a URL (postgres://user:secret@host → postgres://user:***@host). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

function maskSecret(name: string, value: string): string {
  if (/PASSWORD|SECRET|TOKEN|KEY/.test(name)) return '***';
  return maskUrl(value);
}

/** Reads configuration at boot; on a ConfigError prints which variables are wrong and exits. */
export function configOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}
