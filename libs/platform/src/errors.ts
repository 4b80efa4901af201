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
export const unprocessable = (code: string, message: string, ext?: Record<string, unknown>) => new AppError(422, code, message, ext);
export const badRequest = (code: string, message: string, ext?: Record<string, unknown>) => new AppError(400, code, message, ext);

/**
 * A domain rule violation as the edge sees it: the shape of the domain kernel's
 * DomainRuleViolation, which platform (a shared lib) may not import. `kind` says whose move it is.
 */
export interface RuleViolation extends Error {
  readonly name: 'DomainRuleViolation';
  readonly kind: 'invalid' | 'not-found' | 'conflict' | 'invariant';
  readonly code: string;
}

/** The one error policy for domain rules: a rejection is the caller's (4xx, its code); an invariant is our bug. */
export const REJECTION_STATUS = { invalid: 422, 'not-found': 404, conflict: 409 } as const;

export function isRuleViolation(error: unknown): error is RuleViolation {
  if (!(error instanceof Error) || error.name !== 'DomainRuleViolation') return false;
  const { kind, code } = error as Partial<RuleViolation>;
  return typeof code === 'string' && (kind === 'invariant' || (typeof kind === 'string' && Object.hasOwn(REJECTION_STATUS, kind)));
}
