import { z } from 'zod';

/**
 * Field types of MLflow request messages. Each accepts both forms a client can send: the JSON
 * body's native type, and the string a GET query parameter carries.
 */
export const field = {
  string: () => z.string(),
  /** experiment_id and friends: MLflow stringifies them, so numbers are accepted too. */
  id: () => z.union([z.string(), z.number().transform(String)]),
  int64: () => z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]),
  bool: () =>
    z.union([z.boolean(), z.string().regex(/^(true|false)$/i).transform((s) => s.toLowerCase() === 'true')]),
  /** A repeated field: a JSON array; in a query string `a=1&a=2`, or `a=1` alone (see fromQuery). */
  repeated: <T extends z.ZodType>(item: T) => z.array(item),
  /** Proto enum: its name, or its number (as a protobuf JSON parser accepts). */
  enumOf: <const V extends readonly [string, ...string[]]>(names: V) =>
    z.preprocess((v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
      return n !== undefined && n >= 1 && n <= names.length ? names[n - 1] : v;
    }, z.enum(names)),
  /** A double: a JSON number, or protobuf's strings for NaN and the infinities (also from a query). */
  double: () =>
    z.union([
      z.number(),
      z.enum(['NaN', 'Infinity', '-Infinity']),
      z.string().regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/).transform(Number),
    ]),
  tags: () => z.array(z.object({ key: z.string(), value: z.string().optional().default('') })),
};
