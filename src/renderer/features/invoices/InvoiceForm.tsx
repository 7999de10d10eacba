import { ActionIcon, Button, Checkbox, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { AccountDetailDTO, InvoiceDTO } from '../../../shared/contract/dto';
import { centsToPlain } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { FormActions } from '../../components/FormParts';
import { useRole } from '../../stores/session';

interface Line {
  key: string;
  lineId?: string;
  category: string;
  description: string;
  amount: string;
  void: boolean;
}

let seq = 0;
const blankLine = (): Line => ({ key: `new-${++seq}`, category: '', description: '', amount: '', void: false });

/** Field errors from core ("lines.2.amount") shown at the line they name. */
function fieldOf(e: AppError | null): string | null {
  const f = e?.details?.field;
  return typeof f === 'string' ? f : null;
}

function LinesTable({ lines, setLines, error, editing }: { lines: Line[]; setLines: (l: Line[]) => void; error: AppError | null; editing: boolean }) {
  const set = (i: number, patch: Partial<Line>) => setLines(lines.map((l, n) => (n === i ? { ...l, ...patch } : l)));
  const at = (i: number, k: string) => (fieldOf(error) === `lines.${i}.${k}` ? error!.message : undefined);
  return (
    <Table aria-label="Charge lines" verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Category</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th>Amount</Table.Th>
          {editing && <Table.Th>Void</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l, i) => (
          <Table.Tr key={l.key} style={l.void ? { textDecoration: 'line-through' } : undefined}>
            <Table.Td>
              <TextInput aria-label={`Line ${i + 1} category`} value={l.category} disabled={l.void} onChange={(e) => set(i, { category: e.currentTarget.value })} error={at(i, 'category')} />
            </Table.Td>
            <Table.Td>
              <TextInput aria-label={`Line ${i + 1} description`} value={l.description} disabled={l.void} onChange={(e) => set(i, { description: e.currentTarget.value })} error={at(i, 'description')} />
            </Table.Td>
            <Table.Td>
              <TextInput aria-label={`Line ${i + 1} amount`} leftSection="$" w={130} value={l.amount} disabled={l.void} onFocus={(e) => e.currentTarget.select()} onChange={(e) => set(i, { amount: e.currentTarget.value })} error={at(i, 'amount')} />
            </Table.Td>
            {editing && (
              <Table.Td>
                {l.lineId ? <Checkbox aria-label={`Void line ${i + 1}`} checked={l.void} onChange={(e) => set(i, { void: e.currentTarget.checked })} /> : <ActionIcon variant="subtle" aria-label={`Remove new line ${i + 1}`} onClick={() => setLines(lines.filter((_, n) => n !== i))}>×</ActionIcon>}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Edit Invoice: change, add or void charge lines of an open invoice (core makes a new version). */
export function EditInvoiceButton({ invoice }: { invoice: InvoiceDTO }) {
  const role = useRole();
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<Line[]>([]);
  const [dueDate, setDueDate] = useState(invoice.dueDate);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  if (invoice.status !== 'open' || (role !== 'supervisor' && role !== 'admin')) return null;
  const start = () => {
    setLines(invoice.lines.map((l) => ({ key: l.id, lineId: l.id, category: l.category, description: l.description, amount: centsToPlain(l.amountCents), void: false })));
    setDueDate(invoice.dueDate);
    setReason('');
    setError(null);
    setOpen(true);
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('invoices.edit', {
      invoiceId: invoice.id,
      reason: reason.trim(),
      ...(dueDate !== invoice.dueDate ? { dueDate } : {}),
      lines: lines.map((l) => ({ ...(l.lineId ? { lineId: l.lineId } : {}), category: l.category.trim(), description: l.description.trim(), amount: l.amount, ...(l.void ? { void: true } : {}) })),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setOpen(false);
  };
  return (
    <>
      <Button size="xs" variant="default" onClick={start}>
        Edit invoice
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Edit invoice ${invoice.invoiceNumber}`} size="xl">
        <form onSubmit={save} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              Payments are applied again oldest due first. A line paid from a closed deposit or a closed month keeps its payment; what it paid is credited today.
            </Text>
            <LinesTable lines={lines} setLines={setLines} error={error} editing />
            <Group>
              <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => setLines([...lines, blankLine()])}>
                Add line
              </Button>
            </Group>
            <Group grow>
              <TextInput label="Due date" type="date" value={dueDate} onChange={(e) => setDueDate(e.currentTarget.value)} error={fieldOf(error) === 'dueDate' ? error!.message : undefined} />
              <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldOf(error) === 'reason' ? error!.message : undefined} />
            </Group>
            <FormActions error={error} errorTitle="Not saved" onCancel={() => setOpen(false)} label="Save invoice" busy={busy} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** New Invoice by hand, from the account page. */
export function NewInvoiceButton({ detail }: { detail: AccountDetailDTO }) {
  const role = useRole();
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<Line[]>([blankLine()]);
  const [head, setHead] = useState({ invoiceNumber: '', invoiceDate: '', dueDate: '' });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  if (role !== 'supervisor' && role !== 'admin') return null;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('invoices.create', {
      accountId: detail.account.id,
      invoiceNumber: head.invoiceNumber.trim(),
      invoiceDate: head.invoiceDate,
      dueDate: head.dueDate,
      lines: lines.map((l) => ({ category: l.category.trim(), description: l.description.trim(), amount: l.amount })),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setOpen(false);
  };
  const err = (k: string) => (fieldOf(error) === k ? error!.message : undefined);
  return (
    <>
      <Button
        variant="default"
        disabled={detail.account.status !== 'active'}
        onClick={() => {
          setLines([blankLine()]);
          setHead({ invoiceNumber: '', invoiceDate: '', dueDate: '' });
          setError(null);
          setOpen(true);
        }}
      >
        New invoice
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`New invoice for ${detail.account.accountNumber}`} size="xl">
        <form onSubmit={save} noValidate>
          <Stack>
            <Group grow>
              <TextInput label="Invoice number" required data-autofocus value={head.invoiceNumber} onChange={(e) => setHead({ ...head, invoiceNumber: e.currentTarget.value })} error={err('invoiceNumber')} />
              <TextInput label="Invoice date" type="date" required value={head.invoiceDate} onChange={(e) => setHead({ ...head, invoiceDate: e.currentTarget.value })} error={err('invoiceDate')} />
              <TextInput label="Due date" type="date" required value={head.dueDate} onChange={(e) => setHead({ ...head, dueDate: e.currentTarget.value })} error={err('dueDate')} />
            </Group>
            <LinesTable lines={lines} setLines={setLines} error={error} editing={false} />
            <Group>
              <Button variant="subtle" leftSection={<IconPlus size={16} />} onClick={() => setLines([...lines, blankLine()])}>
                Add line
              </Button>
            </Group>
            <FormActions error={error} errorTitle="Not created" onCancel={() => setOpen(false)} label="Create invoice" busy={busy} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}
