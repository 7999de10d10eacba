import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import type { AppError } from '../../shared/result';
import { ErrorAlert } from './ErrorAlert';

/**
 * The end of a dialog's form: the refusal in core's words, Cancel, and the one action. Without
 * `onSubmit` the action submits the surrounding form (Enter does too).
 */
export function FormActions({ error, errorTitle, onCancel, label, busy, color, testId, onSubmit }: { error: AppError | null; errorTitle?: string; onCancel(): void; label: string; busy?: boolean; color?: string; testId?: string; onSubmit?(): void }) {
  return (
    <>
      <ErrorAlert error={error} {...(errorTitle ? { title: errorTitle } : {})} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type={onSubmit ? 'button' : 'submit'} color={color} loading={busy} onClick={onSubmit} data-testid={testId}>
          {label}
        </Button>
      </Group>
    </>
  );
}

/** A labelled one-of choice (how a payment's money is applied, and the like). */
export function LabelledChoice<V extends string>({ id, label, value, onChange, data }: { id: string; label: string; value: V; onChange(v: V): void; data: { value: NoInfer<V>; label: string }[] }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={id} value={value} onChange={(v) => onChange(v as V)} data={data} />
    </Stack>
  );
}
