import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HTTP_PROBLEMS, type ProblemCode } from './api/problem-codes';
import { AppError, isRuleViolation, REJECTION_STATUS } from './errors';

export const PROBLEM_JSON = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  [extension: string]: unknown;
}

export const problem = (status: number, code: string, detail: string, ext: Record<string, unknown> = {}): Problem => ({
  type: `https://choreo.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
  title: code,
  status,
  code,
  detail,
  ...ext,
});

const fromCode = ({ status, code, description }: ProblemCode, ext?: Record<string, unknown>) => problem(status, code, description, ext);

/**
 * Every service renders errors through this, so one failure reads the same from all three:
 * what the client may act on is a 4xx with a stable code; anything else (a broken invariant, a
 * bug, a lost database) is a 500 with a generic body, and its detail goes to the log only.
 */
export function problemDetails(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const body = toProblem(error);
    if (body.status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    if (res.headersSent) return void res.destroy();
    res
      .status(body.status)
      .type(PROBLEM_JSON)
      .json({ ...body, instance: req.originalUrl });
  };
}

export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) return problem(error.status, error.code, error.message, error.extensions);
  if (isRuleViolation(error)) {
    return error.kind === 'invariant' ? fromCode(HTTP_PROBLEMS.internal) : problem(REJECTION_STATUS[error.kind], error.code, error.message);
  }
  if (error instanceof z.ZodError) return fromCode(HTTP_PROBLEMS.invalid, { errors: issues(error) });
  // The router fails to decode a path parameter (`/orders/%E0`) with a URIError it marks 400.
  if (error instanceof URIError) return fromCode(HTTP_PROBLEMS.malformedUrl);
  const httpError = error as { type?: string; status?: number; expose?: boolean };
  if (httpError.type === 'entity.too.large') return fromCode(HTTP_PROBLEMS.tooLarge);
  if (httpError.type === 'entity.parse.failed') return fromCode(HTTP_PROBLEMS.malformedJson);
  if (httpError.type === 'encoding.unsupported' || httpError.type === 'charset.unsupported') {
    return fromCode(HTTP_PROBLEMS.unsupportedEncoding);
  }
  // Any other error the HTTP stack raised about the request itself (an aborted upload, a bad length).
  if (httpError.expose === true && typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    return problem(httpError.status, HTTP_PROBLEMS.malformed.code, HTTP_PROBLEMS.malformed.description);
  }
  return fromCode(HTTP_PROBLEMS.internal);
}

const issues = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/** Parses untrusted input; the error middleware renders the failure as 400 with every issue. */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code = HTTP_PROBLEMS.invalid.code,
  at: readonly string[] = [],
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = result.error.issues.map((i) => ({ path: [...at, ...i.path].join('.'), message: i.message }));
    throw new AppError(400, code, 'the request is invalid', { errors });
  }
  return result.data;
}
