/**
 * An error that a client caused or may act on. Rendered as RFC 9457 problem details with a
 * stable `code` (e.g. ORDER.NOT_FOUND) that clients can switch on; the message is for humans.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, ext?: Record<string, unknown>) => new AppError(409, code, message, ext);
export const unprocessable = (code: string, message: string, ext?: Record<string, unknown>) =>
  new AppError(422, code, message, ext);
export const badRequest = (code: string, message: string, ext?: Record<string, unknown>) => new AppError(400, code, message, ext);
