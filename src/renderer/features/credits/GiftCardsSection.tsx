import { ActionIcon, Alert, Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconPencil, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { CreditKindLabels, GIFT_CARD_WARNING, type CreditDTO } from '../../../shared/contract/credits';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { centsToPlain } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusBadge } from '../../components/StatusBadge';
import { useRole } from '../../stores/session';

const STATUS_LABEL: Record<CreditDTO['status'], string> = { active: 'active', replaced: 'corrected', reversed: 'deleted' };

/**
 * Gift Cards & Prepayments: kept apart from ordinary credits, with the seed's warning. Anyone adds
 * one; the history window lists every entry, corrected and deleted ones included; Admins edit
 * (pencil) and delete (trash) — core refuses everyone else, the buttons only follow.
 */
export function GiftCardsSection({ detail }: { detail: AccountDetailDTO }) {
  const accountId = detail.account.id;
  const list = useQuery('credits.listForAccount', { accountId, section: 'gift', includeHistory: true }, { refreshOn: ['credits'] });
  const [adding, setAdding] = useState(false);
  const [history, setHistory] = useState(false);
  const active = (list.data ?? []).filter((c) => c.status === 'active');
  const total = active.reduce((s, c) => s + c.amountCents, 0);
  return (
    <Stack>
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Gift cards and prepayments only">
        {GIFT_CARD_WARNING}
      </Alert>
      <Group justify="space-between">
        <Text>
          {active.length} active · total <Money cents={total} fw={700} />
        </Text>
        <Group gap="xs">
          <Button variant="default" onClick={() => setHistory(true)}>
            Gift Cards or Prepayments history
          </Button>
          <Button onClick={() => setAdding(true)} disabled={detail.account.status !== 'active'}>
            Add gift card or prepayment
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={list.error} title="Not available" />
      <GiftTable rows={active} empty="No gift cards or prepayments on this account." />
      <AddGiftModal opened={adding} accountId={accountId} onClose={() => setAdding(false)} />
      <Modal opened={history} onClose={() => setHistory(false)} title={`Gift Cards & Prepayments · ${detail.account.accountNumber}`} size="xl">
        <Stack>
          <Text size="sm" c="dimmed">
            Every entry, including corrected and deleted ones: nothing is erased, each change is in the audit log.
          </Text>
          <GiftTable rows={list.data ?? []} withActions empty="Nothing yet." />
        </Stack>
      </Modal>
    </Stack>
  );
}

function GiftTable({ rows, withActions, empty }: { rows: CreditDTO[]; withActions?: boolean; empty: string }) {
  const role = useRole();
  const [editing, setEditing] = useState<CreditDTO | null>(null);
  const [deleting, setDeleting] = useState<CreditDTO | null>(null);
  if (rows.length === 0) return <Text c="dimmed">{empty}</Text>;
  const admin = role === 'admin';
  return (
    <>
      <Table aria-label="Gift cards and prepayments" verticalSpacing={6} data-testid="gift-cards">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Used</Table.Th>
            <Table.Th>Public comment</Table.Th>
            <Table.Th>Private comment</Table.Th>
            {withActions && <Table.Th>Status</Table.Th>}
            {withActions && <Table.Th>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.id} style={{ opacity: c.status === 'active' ? 1 : 0.75 }}>
              <Table.Td>{formatDate(c.creditDate)}</Table.Td>
              <Table.Td>{CreditKindLabels[c.kind]}</Table.Td>
              <Table.Td ta="right" td={c.status === 'active' ? undefined : 'line-through'}>
                <Money cents={c.amountCents} />
              </Table.Td>
              <Table.Td ta="right">
                <Money cents={c.appliedCents} />
              </Table.Td>
              <Table.Td>{c.publicComment || '—'}</Table.Td>
              <Table.Td>{c.privateComment || '—'}</Table.Td>
              {withActions && (
                <Table.Td>
                  <Stack gap={0}>
                    <StatusBadge status={STATUS_LABEL[c.status]} />
                    {c.status !== 'active' && (
                      <Text size="xs" c="dimmed">
                        {c.reversalReason} · {c.reversedByName} · {formatDateTime(c.reversedAt)}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
              )}
              {withActions && (
                <Table.Td>
                  {c.status === 'active' && (
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label={admin ? 'Edit' : 'Only an Administrator can edit gift cards and prepayments'}>
                        <ActionIcon variant="subtle" aria-label={`Edit ${CreditKindLabels[c.kind]} of ${centsToPlain(c.amountCents)}`} onClick={() => setEditing(c)} disabled={!admin}>
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={admin ? 'Delete' : 'Only an Administrator can delete gift cards and prepayments'}>
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${CreditKindLabels[c.kind]} of ${centsToPlain(c.amountCents)}`} onClick={() => setDeleting(c)} disabled={!admin}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!admin && withActions && (
        <Text size="xs" c="dimmed">
          Only an Administrator can edit or delete gift cards and prepayments.
        </Text>
      )}
      <EditGiftModal credit={editing} onClose={() => setEditing(null)} />
      <DeleteGiftModal credit={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function AddGiftModal({ opened, accountId, onClose }: { opened: boolean; accountId: string; onClose(): void }) {
  const [kind, setKind] = useState<'gift_card' | 'prepayment'>('gift_card');
  const [amount, setAmount] = useState('');
  const [pub, setPub] = useState('');
  const [priv, setPriv] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const creditId = useMemo(() => (opened ? newId() : ''), [opened]);
  const submit = async () => {
    setBusy(true);
    const r = await call('credits.post', { creditId, accountId, amount, kind, ...(pub.trim() ? { publicComment: pub.trim() } : {}), ...(priv.trim() ? { privateComment: priv.trim() } : {}) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setAmount('');
    setPub('');
    setPriv('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Add gift card or prepayment">
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm" fw={500} id="gift-kind">
            Kind
          </Text>
          <SegmentedControl aria-labelledby="gift-kind" value={kind} onChange={(v) => setKind(v as typeof kind)} data={[{ value: 'gift_card', label: 'Gift card' }, { value: 'prepayment', label: 'Prepayment' }]} />
          <TextInput label="Amount" required leftSection="$" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} data-autofocus />
          <Textarea label="Public comment" description="The payer sees it (e.g. the card number)." autosize minRows={1} value={pub} onChange={(e) => setPub(e.currentTarget.value)} />
          <Textarea label="Private comment" description="Office only." autosize minRows={1} value={priv} onChange={(e) => setPriv(e.currentTarget.value)} />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditGiftModal({ credit, onClose }: { credit: CreditDTO | null; onClose(): void }) {
  const [amount, setAmount] = useState('');
  const [pub, setPub] = useState('');
  const [priv, setPriv] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [seen, setSeen] = useState<string | null>(null);
  const newCreditId = useMemo(() => (credit ? newId() : ''), [credit]);
  if (credit && seen !== credit.id) {
    setSeen(credit.id);
    setAmount(centsToPlain(credit.amountCents));
    setPub(credit.publicComment);
    setPriv(credit.privateComment);
    setReason('');
    setError(null);
  }
  const submit = async () => {
    if (!credit) return;
    const r = await call('giftCards.edit', { creditId: credit.id, newCreditId, amount, publicComment: pub, privateComment: priv, reason });
    if (!r.ok) return setError(r.error);
    onClose();
  };
  return (
    <Modal opened={!!credit} onClose={onClose} title={credit ? `Edit ${CreditKindLabels[credit.kind].toLowerCase()}` : ''}>
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            The entry is kept as corrected and a new one takes its place; the audit log records both.
          </Text>
          <TextInput label="Amount" required leftSection="$" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} />
          <Textarea label="Public comment" autosize minRows={1} value={pub} onChange={(e) => setPub(e.currentTarget.value)} />
          <Textarea label="Private comment" autosize minRows={1} value={priv} onChange={(e) => setPriv(e.currentTarget.value)} />
          <TextInput label="Reason for the change" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Save correction</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteGiftModal({ credit, onClose }: { credit: CreditDTO | null; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const submit = async () => {
    if (!credit) return;
    const r = await call('giftCards.delete', { creditId: credit.id, reason });
    if (!r.ok) return setError(r.error);
    setReason('');
    setError(null);
    onClose();
  };
  return (
    <Modal opened={!!credit} onClose={onClose} title={credit ? `Delete ${CreditKindLabels[credit.kind].toLowerCase()}` : ''}>
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">
            The {credit ? CreditKindLabels[credit.kind].toLowerCase() : ''} of <Money cents={credit?.amountCents ?? 0} /> is reversed: the balance goes back up and the entry stays in the history as deleted.
          </Text>
          <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red">
              Delete
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Ordinary credits of the account (Post Credit), with what each paid and what still waits. */
// long: one section: the credits table and its actions share the loaded credits
export function CreditsSection({ detail }: { detail: AccountDetailDTO }) {
  const role = useRole();
  const list = useQuery('credits.listForAccount', { accountId: detail.account.id, section: 'credits', includeHistory: true }, { refreshOn: ['credits'] });
  const [reversing, setReversing] = useState<CreditDTO | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const rows = list.data ?? [];
  return (
    <Stack>
      {rows.length === 0 ? (
        <Text c="dimmed">No credits posted on this account.</Text>
      ) : (
        <Table aria-label="Credits" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Item</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Paid on invoices</Table.Th>
              <Table.Th ta="right">Waiting</Table.Th>
              <Table.Th>Comments</Table.Th>
              <Table.Th>Status</Table.Th>
              {role !== 'csr' && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatDate(c.creditDate)}</Table.Td>
                <Table.Td>
                  {c.creditItemName}
                  {c.creditItemRetired && (
                    <Badge ml={6} size="xs" color="gray" variant="light">
                      retired item
                    </Badge>
                  )}
                  {c.invoiceNumber && (
                    <Text size="xs" c="dimmed">
                      against invoice {c.invoiceNumber}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Money cents={c.amountCents} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money cents={c.appliedCents} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money cents={c.unappliedCents} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.publicComment || '—'}</Text>
                  {c.privateComment && (
                    <Text size="xs" c="dimmed">
                      Office: {c.privateComment}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={c.status} />
                </Table.Td>
                {role !== 'csr' && (
                  <Table.Td>
                    {c.status === 'active' && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setReversing(c)}>
                        Reverse
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={!!reversing} onClose={() => setReversing(null)} title="Reverse credit">
        <form noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            if (!reversing) return;
            const r = await call('credits.reverse', { creditId: reversing.id, reason });
            if (!r.ok) return setError(r.error);
            setError(null);
            setReason('');
            setReversing(null);
          }}
        >
          <Stack>
            <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
            <ErrorAlert error={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setReversing(null)}>
                Cancel
              </Button>
              <Button type="submit" color="red">
                Reverse credit
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
