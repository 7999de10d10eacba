import { Alert } from '@mantine/core';
import type { AppError } from '../../shared/result';

/** A refused command's message, as core wrote it for the clerk. */
export function ErrorAlert({ error, title = 'Not saved' }: { error: AppError | null | undefined; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} role="alert" variant="light">
      {error.message}
    </Alert>
  );
}
