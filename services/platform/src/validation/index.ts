import type { z } from 'zod';
import { InputError, type FieldError } from '../errors';

/** JSON Pointer (RFC 6901) of a path such as ['child', 'names', 0, 'given']. */
export function jsonPointer(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/**
 * Parses `input` with `schema`, or throws an `InputError` naming every invalid field by
 * its JSON Pointer, so the API answers a 400 problem that says what to fix.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'The request body',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: jsonPointer(issue.path),
    message: issue.message,
  }));
  throw new InputError(
    `${what} is not valid: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`,
    errors,
  );
}
