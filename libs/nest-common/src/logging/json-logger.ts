import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '@cairn/config';
import { currentRequestId } from './request-context';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON object per line on stdout: what log collectors on Kubernetes expect. */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  log(message: unknown, ...rest: unknown[]) {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.emit('debug', message, rest);
  }

  /** Structured entry with extra fields, e.g. an access log line. */
  event(level: LogLevel, msg: string, fields: Record<string, unknown>) {
    if (RANK[level] < RANK[this.level]) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, service: this.service, msg, requestId: currentRequestId(), ...fields }));
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]) {
    if (RANK[level] < RANK[this.level]) return;
    // Nest passes the context (class name) as the last string argument, and a stack for errors.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = { context };
    if (isPlainObject(message)) {
      const { msg, ...structured } = message;
      this.event(level, String(msg ?? ''), { ...fields, ...structured });
      return;
    }
    if (message instanceof Error) {
      fields.error = message.message;
      fields.stack = message.stack;
    } else if (typeof rest[0] === 'string' && level === 'error') {
      fields.stack = rest[0];
    }
    const msg = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.event(level, msg, fields);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
