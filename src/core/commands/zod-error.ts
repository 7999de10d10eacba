import type { z } from 'zod';
import type { AppError } from '../../shared/result';

/** The first problem of a failed parse, as an AppError naming the field. */
export function zodToAppError(e: z.ZodError): AppError {
  const issue = e.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const issues = e.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  let message = issue?.message ?? 'Invalid input.';
  if (issue?.code === 'unrecognized_keys') message = `Unexpected field: ${(issue as { keys?: string[] }).keys?.join(', ')}.`;
  else if (issue?.code === 'invalid_type' && field) message = `${field}: ${issue.message}`;
  return { code: 'VALIDATION', message, details: field ? { field, issues } : { issues } };
}
