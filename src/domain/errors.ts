/** The fixed set of error codes every cloud function answers with; shared by server and client. */
export const errorCodes = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Field path (dot-joined, '' for the whole input) → messages, in Chinese. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
  requestId: string;
}

/** The one envelope every action returns. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Default Chinese messages a user sees when an action gives none of its own. */
export const defaultErrorMessages: Record<ErrorCode, string> = {
  INVALID_INPUT: '填写的内容有误，请检查标红的项目',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '您没有权限进行此操作',
  NOT_FOUND: '没有找到相关记录',
  CONFLICT: '操作与已有记录冲突',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '系统出错了，请稍后再试',
};

/** The error actions throw; the function boundary turns it into an envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = defaultErrorMessages[code],
    readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
