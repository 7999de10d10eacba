import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  pending: 'yellow',
  scheduled: 'grape',
  deposited: 'green',
  cancelled: 'gray',
  voided: 'red',
  open: 'blue',
  paid: 'green',
  closed: 'gray',
  active: 'green',
  inactive: 'gray',
  superseded: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    // Never truncated to "SE…" in a narrow table column: a status must be readable.
    <Badge color={COLORS[status] ?? 'blue'} variant="light" radius="sm" style={{ minWidth: 'fit-content', flexShrink: 0 }} styles={{ label: { overflow: 'visible' } }}>
      {status.charAt(0).toUpperCase() + status.slice(1)}
    </Badge>
  );
}
