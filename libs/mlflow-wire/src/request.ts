import { z } from 'zod';
import { invalidParameter } from '@cairn/contracts';

export interface RequestDefinition<S extends z.ZodRawShape> {
  readonly schema: z.ZodObject<S>;
  readonly required: readonly (keyof S & string)[];
}

/** Declares an MLflow request message: its fields and which ones MLflow's handler requires. */
export function defineRequest<S extends z.ZodRawShape>(
  shape: S,
  required: readonly (keyof S & string)[] = [],
): RequestDefinition<S> {
  return { schema: z.object(shape), required };
}

/**
 * A GET request's query parameters as a message: a key given once is a string even where the
 * field is repeated, so those become one-item lists, as MLflow's `args.getlist` reads them.
 */
export function fromQuery<S extends z.ZodRawShape>(def: RequestDefinition<S>, query: unknown): Record<string, unknown> {
  const params = query !== null && typeof query === 'object' ? { ...(query as Record<string, unknown>) } : {};
  for (const [name, fieldSchema] of Object.entries(def.schema.shape)) {
    const inner = fieldSchema instanceof z.ZodOptional ? fieldSchema.unwrap() : fieldSchema;
    if (inner instanceof z.ZodArray && params[name] !== undefined && !Array.isArray(params[name])) params[name] = [params[name]];
  }
  return params;
}

const API_DOCS = 'See the API docs for more information about request parameters.';

/**
 * Validates a decoded request (JSON body or query parameters) with MLflow's messages. Unknown
 * fields are dropped, as MLflow's `ParseDict(ignore_unknown_fields=True)` does. Throws
 * INVALID_PARAMETER_VALUE.
 */
export function parseRequest<S extends z.ZodRawShape>(def: RequestDefinition<S>, input: unknown): z.infer<z.ZodObject<S>> {
  const message = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  for (const name of def.required) {
    const value = message[name];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      throw invalidParameter(`Missing value for required parameter '${name}'. ${API_DOCS}`);
    }
  }
  const present = Object.fromEntries(Object.entries(message).filter(([, v]) => v !== null));
  const result = def.schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = formatPath(issue.path);
  const value = valueAt(present, issue.path);
  if (value === undefined) throw invalidParameter(`Missing value for required parameter '${path}'. ${API_DOCS}`);
  throw invalidParameter(
    `Invalid value ${pythonRepr(value)} for parameter '${path}' supplied:  Hint: Value was of type '${pythonType(value)}'.`,
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), root);
}

function pythonType(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** As MLflow 3 prints it: strings quoted, numbers and others as JSON. */
function pythonRepr(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
