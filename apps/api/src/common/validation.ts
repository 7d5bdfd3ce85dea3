import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { type FieldProblem, flattenValidationErrors, InvalidInputException } from './errors';

/**
 * Refuses a NUL character anywhere in a body, query or path (PostgreSQL cannot store one in
 * text), then validates. A pipe, so it runs after authentication: a caller without a key
 * learns nothing about the schema.
 */
class DispatchValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problems = nulCharacters(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (problems.length > 0) throw new InvalidInputException(problems);
    return super.transform(value, metadata);
  }
}

/** Each string (or key) holding U+0000, by its field path; iterative, as the depth check. */
export function nulCharacters(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0 && problems.length < 20) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (current.includes('\u0000')) problems.push({ field: path || 'body', reason: 'must not contain a NUL character' });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current as Record<string, unknown>)) {
        const field = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) problems.push({ field: field.replace(/\u0000/g, '\\0'), reason: 'must not contain a NUL character' });
        else stack.push([child, field]);
      }
    }
  }
  return problems;
}

/** The one validation configuration, used by main.ts and by the tests alike. */
export function createValidationPipe(): ValidationPipe {
  return new DispatchValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InvalidInputException(flattenValidationErrors(errors)),
  });
}
