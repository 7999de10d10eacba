import { Alert, Badge, Button, CopyButton, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import { newPayLinkToken, payLinkUrl, type PaymentLinkAvailabilityDTO, type PaymentLinkDTO } from '../../../shared/contract/payment-links';
import { formatDate } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { useSession } from '../../stores/session';

const STATE_COLOR = { open: 'blue', paid: 'green', revoked: 'gray', expired: 'orange' } as const;

/**
 * Payment link on the account page: make a one-time link for a payer with no portal login, email it
 * and/or copy it. The token is made here and shown once; the ledger keeps only its hash. Core decides
 * whether links can be made (a central server with a public address) and who may revoke one.
 */
// long: button and its modal: create, copy, send and revoke share the loaded link
export function PaymentLinkButton({ detail }: { detail: AccountDetailDTO }) {
  const a = detail.account;
  const me = useSession((s) => s.session?.user);
  const [open, setOpen] = useState(false);
  const [avail, setAvail] = useState<PaymentLinkAvailabilityDTO | null>(null);
  const [links, setLinks] = useState<PaymentLinkDTO[]>([]);
  const [email, setEmail] = useState('');
  const [days, setDays] = useState<number | string>(14);
  const [made, setMade] = useState<{ url: string; link: PaymentLinkDTO } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const refresh = async () => {
    const r = await call('paymentLinks.list', { accountId: a.id });
    if (r.ok) setLinks(r.value);
  };
  const start = async () => {
    setMade(null);
    setError(null);
    setEmail(a.email ?? '');
    setOpen(true);
    const r = await call('paymentLinks.availability', {});
    if (r.ok) {
      setAvail(r.value);
      setDays(r.value.defaultExpiryDays);
    } else setError(r.error);
    await refresh();
  };
  const create = async (send: boolean) => {
    if (!avail?.publicUrl) return;
    setBusy(true);
    setError(null);
    const token = newPayLinkToken();
    const r = await call('paymentLinks.create', { accountId: a.id, token, email: send ? email : '', expiresInDays: typeof days === 'number' ? days : Number(days) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setMade({ url: payLinkUrl(avail.publicUrl, token), link: r.value });
    await refresh();
  };
  const [revoking, setRevoking] = useState<PaymentLinkDTO | null>(null);
  const [reason, setReason] = useState('');
  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    const r = await call('paymentLinks.revoke', { linkId: revoking.id, reason });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setRevoking(null);
    setReason('');
    await refresh();
  };

  return (
    <>
      <Button variant="default" onClick={() => void start()}>
        Payment link
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Payment link for ${a.accountNumber}`} size="xl">
        <Stack>
          {avail && !avail.available && (
            <Alert color="yellow" title="Payment links are not available on this desk">
              {avail.reason}
            </Alert>
          )}
          {avail?.available && !made && (
            <>
              <Text size="sm">
                A one-time link to a page where {a.name} can see the balance and pay it{avail.gateway ? ' by card' : ' (no card gateway is set up: the page says how to pay by check or transfer)'}, without a portal login.
              </Text>
              <TextInput label="Payer's email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-autofocus />
              <NumberInput label="Good for (days)" min={1} max={90} value={days} onChange={setDays} w={160} />
              <Group justify="flex-end">
                <Button variant="default" loading={busy} onClick={() => void create(false)}>
                  Create link to copy
                </Button>
                <Button loading={busy} disabled={!email.trim()} onClick={() => void create(true)}>
                  Create and email
                </Button>
              </Group>
            </>
          )}
          {made && (
            <Alert color="green" title={made.link.emailed ? `Link emailed to ${made.link.email}` : 'Link created'}>
              <Stack gap="xs">
                <Text size="sm">Copy it now: it is shown only once. It works until {formatDate(made.link.expiresOn)}, for one payment.</Text>
                <Group gap="xs" wrap="nowrap">
                  <TextInput aria-label="Payment link" readOnly value={made.url} style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
                  <CopyButton value={made.url}>{({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy link'}</Button>}</CopyButton>
                </Group>
              </Stack>
            </Alert>
          )}
          {revoking && (
            <Alert color="red" title={`Revoke the link sent ${formatDate(revoking.createdAt.slice(0, 10))}?`}>
              <Stack gap="xs">
                <Text size="sm">The payer will be told the link was withdrawn. A link already paid cannot be revoked.</Text>
                <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setRevoking(null)}>
                    Keep the link
                  </Button>
                  <Button color="red" loading={busy} onClick={() => void revoke()}>
                    Revoke link
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          <ErrorAlert error={error} title="Not done" />
          {links.length > 0 && (
            <Table>
              <Table.Caption>Links sent for this account</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Sent</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Balance then</Table.Th>
                  <Table.Th>Until</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {links.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{formatDate(l.createdAt.slice(0, 10))}</Table.Td>
                    <Table.Td>{l.createdByName}</Table.Td>
                    <Table.Td>
                      <Money cents={l.amountCents} />
                    </Table.Td>
                    <Table.Td>{formatDate(l.expiresOn)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[l.state]} variant="light" style={{ overflow: 'visible' }}>
                        {l.state}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {l.state === 'open' && (me?.role !== 'csr' || l.createdBy === me?.id) ? (
                        <Button size="xs" variant="subtle" color="red" onClick={() => { setRevoking(l); setReason(''); setError(null); }}>
                          Revoke
                        </Button>
                      ) : (
                        <Text size="xs" c="dimmed">—</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Modal>
    </>
  );
}
