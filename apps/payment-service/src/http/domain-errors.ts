import { DomainRuleViolation } from '@choreo/domain-kernel';
import { AppError } from '@choreo/platform';

const STATUS: Record<string, number> = {
  'ACCOUNT.INVALID': 422,
  // A broken invariant is our bug, never the client's; the handler logs it and hides the detail.
  'PAYMENT.INVARIANT': 500,
};

export const mapDomainError = (error: unknown): AppError | undefined => {
  if (!(error instanceof DomainRuleViolation)) return undefined;
  const status = STATUS[error.code] ?? 422;
  return new AppError(status, status >= 500 ? 'INTERNAL' : error.code, status >= 500 ? 'an unexpected error occurred' : error.message);
};
