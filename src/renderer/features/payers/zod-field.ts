import type { z } from 'zod';

/** A Mantine form validator from one of the contract's zod fields: the same rule and message as core. */
export const zodField =
  (schema: z.ZodType) =>
  (value: unknown): string | null => {
    const r = schema.safeParse(value);
    return r.success ? null : (r.error.issues[0]?.message ?? 'Not valid.');
  };
