import { DomainRuleViolation } from '@choreo/domain-kernel';
import { AppError } from '@choreo/platform';

const STATUS: Record<string, number> = {
  'ORDER.NOT_FOUND': 404,
  'ORDER.ALREADY_CONFIRMED': 409,
  'ORDER.ALREADY_EXISTS': 409,
  'ORDER.INVALID': 422,
};

export const mapDomainError = (error: unknown): AppError | undefined =>
  error instanceof DomainRuleViolation ? new AppError(STATUS[error.code] ?? 422, error.code, error.message) : undefined;
