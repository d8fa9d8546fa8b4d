import type { z } from 'zod';
import { badRequest } from '../errors';

type QueryValue = unknown;

/** `?properties=a,b&properties=c` → ['a', 'b', 'c']; absent → undefined. */
export function parseList(value: QueryValue): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseLimit(value: QueryValue, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const limit = Number(Array.isArray(value) ? value[0] : value);
  if (!Number.isInteger(limit) || limit < 1) throw badRequest(`limit must be a positive integer, got ${String(value)}`);
  return Math.min(limit, max);
}

export function parseBool(value: QueryValue): boolean {
  return String(Array.isArray(value) ? value[0] : value).toLowerCase() === 'true';
}

export function firstString(value: QueryValue): string | undefined {
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[0] : value);
}

/** Validates a JSON body; the 400 names the offending fields like HubSpot's "Invalid input JSON" errors. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const where = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw badRequest(`Invalid input JSON: ${where}`);
}
