import { BadRequestException, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Flattens class-validator's tree into `errors[]` with dotted field paths. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
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
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => invalid(fieldProblems(errors)),
});
