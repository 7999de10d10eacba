import { Badge } from '@mantine/core';
import type { NotificationStatus } from '../../../shared/contract/notifications';

export const STATUS_LABEL: Record<NotificationStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  error: 'Error',
  cancelled: 'Cancelled',
};
const STATUS_COLOR: Record<NotificationStatus, string> = {
  queued: 'blue',
  sending: 'yellow',
  sent: 'green',
  delivered: 'teal',
  error: 'red',
  cancelled: 'gray',
};

export function NotificationStatusBadge({ status, errorKind }: { status: NotificationStatus; errorKind?: 'retryable' | 'permanent' | null }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" radius="sm" data-status={status} style={{ flexShrink: 0, overflow: 'visible' }} miw="fit-content">
      {STATUS_LABEL[status]}
      {status === 'error' && errorKind ? ` · ${errorKind}` : ''}
    </Badge>
  );
}

export const SOURCE_LABEL = { run: 'Statement run', file: 'Uploaded file', 'on-demand': 'On demand' } as const;
export const CHANNEL_LABEL = { email: 'Email', letter: 'Letter' } as const;
