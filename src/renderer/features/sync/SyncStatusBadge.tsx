import { Badge, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useNav } from '../../stores/navigation';
import { timeAgo, useSyncStatus } from './useSyncStatus';

/**
 * The header's always-visible sync status: online/offline, syncing, changes waiting, last synced,
 * and the Needs Attention count (a button to the list).
 */
export function SyncStatusBadge() {
  const { status } = useSyncStatus();
  const { go } = useNav();
  if (!status) return null;
  if (!status.configured) {
    return (
      <Text size="xs" c="dimmed" role="status" data-testid="sync-status">
        Local only (no server)
      </Text>
    );
  }
  const blocked = status.blocked;
  const state = status.syncing ? 'Syncing…' : blocked?.kind === 'sign-in' ? 'Sign-in needed' : blocked?.kind === 'error' ? 'Server refused' : status.online ? 'Online' : 'Offline';
  const color = status.syncing ? 'blue.9' : blocked ? 'orange.9' : status.online ? 'green.9' : 'gray.8';
  return (
    <Group gap={6} wrap="nowrap" role="status" aria-live="polite" data-testid="sync-status">
      <Tooltip label={blocked?.message ?? status.lastError ?? `Server: ${status.serverUrl}`} multiline w={320}>
        <UnstyledButton onClick={() => go('needs-attention', {})} aria-label={`${state}${blocked ? `: ${blocked.message}` : ' (sync status)'}`}>
          <Badge color={color} variant="light" size="sm">
            {state}
          </Badge>
        </UnstyledButton>
      </Tooltip>
      {blocked?.kind === 'sign-in' && (
        <Text size="xs" c="orange.9" data-testid="sync-blocked">
          {status.waitingForSignIn.join(', ')} must sign in
        </Text>
      )}
      <Text size="xs" c="dimmed" data-testid="sync-pending">
        {status.pending === 0 ? 'All changes sent' : `${status.pending} change${status.pending === 1 ? '' : 's'} waiting`} · synced {timeAgo(status.lastSyncedAt)}
      </Text>
      {status.needsAttention > 0 && (
        <UnstyledButton onClick={() => go('needs-attention', {})}>
          <Badge color="red" variant="filled" size="sm" data-testid="sync-attention">
            {status.needsAttention} need{status.needsAttention === 1 ? 's' : ''} attention
          </Badge>
        </UnstyledButton>
      )}
    </Group>
  );
}
