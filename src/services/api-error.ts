import {
  defaultErrorMessages,
  errorCodes,
  type ErrorBody,
  type ErrorCode,
  type FieldErrors,
} from '../domain/errors';

/** The server's codes plus NETWORK: the call never got an answer (offline, timeout). */
export type ClientErrorCode = ErrorCode | 'NETWORK';

export const networkMessage = '网络不通，请检查网络后重试';

/** A failed call: the envelope's error, or NETWORK when there was no envelope at all. */
export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** No answer came back: the action may or may not have run. */
  static network(): ApiError {
    return new ApiError('NETWORK', networkMessage);
  }

  static fromBody(body: ErrorBody): ApiError {
    return new ApiError(
      body.code,
      body.message || defaultErrorMessages[body.code],
      body.fields,
      body.requestId,
    );
  }
}

function isErrorBody(x: unknown): x is ErrorBody {
  if (typeof x !== 'object' || x === null) return false;
  const code = (x as { code?: unknown }).code;
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code);
}

/**
 * Unwraps an envelope: its data, or an ApiError. Anything that is not an envelope (a proxy's
 * error page, an empty body) means the service did not answer properly.
 */
export function unwrap<T>(answer: unknown): T {
  if (typeof answer === 'object' && answer !== null && 'ok' in answer) {
    const envelope = answer as { ok: unknown; data?: unknown; error?: unknown };
    if (envelope.ok === true) return envelope.data as T;
    if (envelope.ok === false && isErrorBody(envelope.error)) {
      throw ApiError.fromBody(envelope.error);
    }
  }
  throw new ApiError('UNAVAILABLE', defaultErrorMessages.UNAVAILABLE);
}

/** Any thrown value as an ApiError, so pages show one kind of message. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('INTERNAL', defaultErrorMessages.INTERNAL);
}
