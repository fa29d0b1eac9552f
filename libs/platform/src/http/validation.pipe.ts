import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors } from '@crc/contracts';
import { RequestValidationError } from '@crc/contracts';

/** Every input is validated; unknown fields are refused rather than silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
