import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors, InvalidInputException } from './errors';

/** The one validation configuration, used by main.ts and by the tests alike. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInputException(flattenValidationErrors(errors)),
  });
}
