import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const logLevel = z.enum(LOG_LEVELS).default('info');

export const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a URL like postgres://user:password@host:5432/db');
export const natsUrl = z
  .string()
  .regex(/^(nats|tls|wss?):\/\/\S+(,\s*(nats|tls|wss?):\/\/\S+)*$/, 'expected a URL like nats://host:4222 (comma-separated for a cluster)');
export const host = z.string().min(1).default('127.0.0.1');
