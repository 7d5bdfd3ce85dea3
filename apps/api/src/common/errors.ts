import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** One problem with one input field, as every 400 lists them. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** The error body of every route: `{statusCode, error, message, details?}`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldProblem[];
}

export class InvalidInputException extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid input: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
      details: problems,
    } satisfies ErrorBody);
  }
}

/** A refusal that ends by itself (429 too many attempts, 503 database unavailable): `Retry-After` says when. */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(errorBody(status, message), status);
  }
}

export function invalidField(field: string, reason: string): InvalidInputException {
  return new InvalidInputException([{ field, reason }]);
}

/** class-validator's tree, flattened to `location.unit: must be a string`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field,
      // class-validator starts each message with the property name; the field says it already.
      reason: reason.startsWith(`${error.property} `) ? reason.slice(error.property.length + 1) : reason,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function errorBody(status: number, message: string, details?: FieldProblem[]): ErrorBody {
  const error = HttpStatus[status] ? titleCase(HttpStatus[status]) : 'Error';
  return { statusCode: status, error, message, ...(details ? { details } : {}) };
}

function titleCase(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

export function isHttpException(error: unknown): error is HttpException {
  return error instanceof HttpException;
}
