import { Alert, Button, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

/**
 * Security alerts for Admins: what the server refused (an audit entry that differs from the one it
 * holds, a chain that does not verify), a failed start-up check of the server's or this desk's
 * audit log. An Admin acknowledges each once read; the decision is core's (Admins only).
 */
export function SecurityAlerts() {
  const [showAll, setShowAll] = useState(false);
  const alerts = useQuery('security.alerts.list', showAll ? { includeAcknowledged: true } : {}, { refreshOn: ['security_alerts'] });
  const [error, setError] = useState<AppError | null>(null);
  const acknowledge = async (id: string) => {
    const r = await call('security.alerts.acknowledge', { id });
    setError(r.ok ? null : r.error);
    alerts.reload();
  };
  const rows = alerts.data ?? [];
  return (
    <Card withBorder data-testid="security-alerts">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Security alerts
          </Title>
          <Switch label="Show acknowledged" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} />
        </Group>
        <ErrorAlert error={alerts.error ?? error} />
        {rows.length === 0 && !alerts.loading && <Text size="sm">No open security alerts.</Text>}
        {rows.map((a) => (
          <Alert key={a.id} color={a.acknowledgedAt ? 'gray' : 'red'} title={`${formatDateTime(a.at)} · raised by ${a.source === 'server' ? 'the server' : 'this desk'}`}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={2}>
                <Text size="sm">{a.description}</Text>
                {(a.userName || a.clientId) && (
                  <Text size="xs">
                    {a.userName ? `Signed in: ${a.userName}. ` : ''}
                    {a.clientId ? `Desk ${a.clientId}.` : ''}
                  </Text>
                )}
                {a.acknowledgedAt && (
                  <Text size="xs">
                    Acknowledged {formatDateTime(a.acknowledgedAt)}
                    {a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}.
                  </Text>
                )}
              </Stack>
              {!a.acknowledgedAt && (
                <Button size="xs" variant="default" onClick={() => void acknowledge(a.id)} aria-label={`Acknowledge the alert of ${formatDateTime(a.at)}`}>
                  Acknowledge
                </Button>
              )}
            </Group>
          </Alert>
        ))}
      </Stack>
    </Card>
  );
}
