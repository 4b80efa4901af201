import { DomainRuleViolation } from '@choreo/domain-kernel';
import { AppError } from '@choreo/platform';

/** Bad input is the client's to fix (422); any other rule violation is our bug and stays a generic 500. */
export const mapDomainError = (error: unknown): AppError | undefined =>
  error instanceof DomainRuleViolation && error.code.endsWith('.INVALID') ? new AppError(422, error.code, error.message) : undefined;
