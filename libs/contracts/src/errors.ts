/**
 * Error codes shared by every service and the gateway. They are MLflow's `error_code` names, so
 * the gateway maps them to HTTP statuses in one table (libs/mlflow-wire) without translation.
 */
export const ErrorCode = {
  INVALID_PARAMETER_VALUE: 'INVALID_PARAMETER_VALUE',
  BAD_REQUEST: 'BAD_REQUEST',
  RESOURCE_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  RESOURCE_DOES_NOT_EXIST: 'RESOURCE_DOES_NOT_EXIST',
  ENDPOINT_NOT_FOUND: 'ENDPOINT_NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  RESOURCE_CONFLICT: 'RESOURCE_CONFLICT',
  REQUEST_LIMIT_EXCEEDED: 'REQUEST_LIMIT_EXCEEDED',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  TEMPORARILY_UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What an error looks like on the internal transport (NATS or in-process). */
export interface WireError {
  code: ErrorCode;
  message: string;
}

/** A domain error: thrown by services, carried to the gateway as a WireError, shown as MLflow's envelope. */
export class CairnError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CairnError';
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }

  static isWireError(value: unknown): value is WireError {
    if (typeof value !== 'object' || value === null) return false;
    const { code, message } = value as Record<string, unknown>;
    return typeof code === 'string' && code in ErrorCode && typeof message === 'string';
  }
}

export const invalidParameter = (message: string) => new CairnError(ErrorCode.INVALID_PARAMETER_VALUE, message);
export const notFound = (message: string) => new CairnError(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
export const alreadyExists = (message: string) => new CairnError(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
export const invalidState = (message: string) => new CairnError(ErrorCode.INVALID_STATE, message);
