import { BadRequestException, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { cacheValidationMetadata } from './validation-metadata';

/** The rules of a DTO class are looked up once, not on every request (validation-metadata.ts). */
export const validationMetadata = cacheValidationMetadata();

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Flattens class-validator's tree into `errors[]`, each field named as the body spells it (`criteria[0].id`). A field
 * that is missing gets one message, `<field> is required`, not one per constraint it would have had to meet.
 */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const constraints = Object.values(error.constraints ?? {});
    const own =
      error.value === undefined && constraints.length > 0
        ? [{ field, message: `${field} is required` }]
        : constraints.map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

const invalid = (errors: FieldProblem[]) =>
  new BadRequestException({
    type: 'urn:tessera:problem:validation',
    title: 'Invalid input',
    message: 'the request is not valid; see errors[]',
    errors,
  });

/** For commands that take no fields: an empty body or none, anything else is refused like an unknown field. */
export const NoFields: PipeTransform = {
  transform(body: unknown) {
    if (body === undefined || body === null) return {};
    if (typeof body !== 'object' || Array.isArray(body))
      throw invalid([{ field: '', message: 'the body must be an empty object' }]);
    const fields = Object.keys(body);
    if (fields.length) throw invalid(fields.map((field) => ({ field, message: `property ${field} should not exist` })));
    return body;
  },
};

/** Whitelisted, unknown fields forbidden, types converted; failures become one 400 problem with errors[]. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  // Values are kept on the errors only to tell a missing field from a wrong one; they are never sent back.
  validationError: { target: false, value: true },
  exceptionFactory: (errors) => invalid(fieldProblems(errors)),
});
