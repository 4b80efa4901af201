import { DomainRuleViolation } from '@choreo/domain-kernel';
import { AppError } from '@choreo/platform';

export const mapDomainError = (error: unknown): AppError | undefined =>
  error instanceof DomainRuleViolation ? new AppError(error.code.endsWith('.INVALID') ? 422 : 500, error.code, error.message) : undefined;
