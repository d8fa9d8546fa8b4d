import { UNSAFE_TEXT_MESSAGE, unsafeTextPaths } from './text';

// Typed errors. The one HTTP error handler turns an AppError into `{ error: { code, message } }` with its status;
// anything else becomes a 500 with a generic message (the details go to the log only).

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown, code = 'bad_request') {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'authentication required', code = 'unauthorized') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'forbidden', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'not found', code = 'not_found') {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

/** 429: too many attempts; the error handler sends `Retry-After: retryAfterS`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterS: number,
    code = 'too_many_attempts',
  ) {
    super(429, code, message);
  }
}

/** Formats zod issues as "field: problem; field: problem" so a 400 names what is wrong. */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 10)
    .map((i) => {
      const path = i.path.map(String).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** A 400 naming every field (or key) of an input that holds a NUL character or an unpaired surrogate. */
export function refuseUnsafeText(value: unknown, what = 'request', code = 'invalid_input'): void {
  const unsafe = unsafeTextPaths(value);
  if (unsafe.length > 0)
    throw new BadRequestError(
      `invalid ${what}: ${describeIssues(unsafe.map((path) => ({ path, message: UNSAFE_TEXT_MESSAGE })))}`,
      undefined,
      code,
    );
}

/** Parses with a zod schema and throws a 400 that names every bad field. */
export function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
  what = 'request',
): T {
  refuseUnsafeText(value, what);
  const result = schema.safeParse(value);
  if (!result.success)
    throw new BadRequestError(`invalid ${what}: ${describeIssues(result.error.issues)}`, undefined, 'invalid_input');
  return result.data;
}
