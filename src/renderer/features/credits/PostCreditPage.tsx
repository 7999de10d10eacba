import { Alert, Button, Card, Checkbox, Group, NativeSelect, Popover, Stack, Stepper, Table, Text, TextInput, Textarea, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCheck, IconPlus, IconX } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CreditDTO } from '../../../shared/contract/credits';
import type { AccountSummaryDTO } from '../../../shared/contract/dto';
import { required, trimmed } from '../../../shared/contract/fields';
import { newId } from '../../../shared/ids';
import { formatMoney, parseMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { useLeaveGuard } from '../../app/leave-guard';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { useRole } from '../../stores/session';

interface Result {
  account: AccountSummaryDTO;
  amount: string;
  credit: CreditDTO | null;
  error: AppError | null;
}

const centsOf = (text: string): number => {
  const r = parseMoney(text);
  return r.ok ? r.cents : 0;
};

/** A positive amount typed by a person, or the reason it is not one. */
function amountProblem(text: string): string | null {
  const r = parseMoney(text);
  if (!r.ok) return r.message;
  if (r.cents <= 0) return 'The amount must be more than $0.00.';
  return null;
}

/**
 * Post Credit (seed 002): accounts → amounts → transaction → results. Each account's credit is its
 * own command (its own transaction, synced on its own): an account that is refused (inactive,
 * closed month) shows why, and the others keep their credit. Ids are made once per wizard, so
 * "Retry failed" never posts an account twice.
 */
export function PostCreditPage({ params }: PageProps) {
  const { go, back } = useNav();
  const [step, setStep] = useState(0);
  const [accounts, setAccounts] = useState<AccountSummaryDTO[]>([]);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [amountErrors, setAmountErrors] = useState<Record<string, string>>({});
  const [classification, setClassification] = useState('');
  const [publicComment, setPublicComment] = useState('');
  const [privateComment, setPrivateComment] = useState('');
  const [creditItemId, setCreditItemId] = useState('');
  const [againstInvoice, setAgainstInvoice] = useState(false);
  const [invoiceId, setInvoiceId] = useState('');
  // Seed 002: "post a Credit along with the Invoice": a new invoice per account, the credit against it.
  const [withNewInvoice, setWithNewInvoice] = useState(false);
  const [newInvoice, setNewInvoice] = useState({ invoiceNumber: '', dueDate: '', category: '', description: '', amount: '' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const role = useRole();
  const [stepError, setStepError] = useState<string | null>(null);
  const [results, setResults] = useState<Result[]>([]);
  const [busy, setBusy] = useState(false);
  // Chosen accounts not yet posted are unsaved work: leaving (a link, Back, reload) asks first.
  useLeaveGuard(step < 4 && accounts.length > 0, 'Leave Post Credit? The credit has not been posted.');
  const ids = useRef<{ batchId: string; credits: Record<string, string>; invoices: Record<string, string> }>({ batchId: newId(), credits: {}, invoices: {} });
  const settings = useQuery('settings.get', {});
  const items = useQuery('creditItems.list', {}, { refreshOn: ['creditItems'] });

  // Opened from an account's page: that account is already filled in.
  useEffect(() => {
    if (!params.accountId) return;
    void call('payers.get', { accountId: params.accountId }).then((r) => {
      if (r.ok) setAccounts((a) => (a.some((x) => x.id === r.value.account.id) ? a : [r.value.account, ...a]));
    });
  }, [params.accountId]);
  useEffect(() => {
    if (settings.data && !classification) setClassification(settings.data.officeName);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.data]);

  const single = accounts.length === 1 ? accounts[0]! : null;
  const invoices = useQuery('payers.get', single && againstInvoice ? { accountId: single.id } : null);
  const openInvoices = (invoices.data?.invoices ?? []).filter((i) => i.status === 'open' || i.status === 'paid');

  const nextFromAccounts = () => {
    if (accounts.length === 0) return setStepError('Add at least one account.');
    setStepError(null);
    setStep(1);
  };
  const nextFromAmounts = () => {
    const errs: Record<string, string> = {};
    for (const a of accounts) {
      const p = amountProblem(amounts[a.id] ?? '');
      if (p) errs[a.id] = p;
    }
    setAmountErrors(errs);
    if (Object.keys(errs).length === 0) setStep(2);
  };

  /** Step 3 (transaction): the item, and the invoice it goes with. */
  const nextFromTransaction = () => {
    const errs: Record<string, string> = {};
    if (!creditItemId) errs.creditItemId = 'Choose a credit item (or create one).';
    if (single && againstInvoice && !invoiceId) errs.invoiceId = 'Choose the invoice to post the credit against.';
    if (withNewInvoice) {
      const n = required(40, 'Invoice number').safeParse(newInvoice.invoiceNumber);
      if (!n.success) errs.invoiceNumber = n.error.issues[0]!.message;
      const c = required(60, 'Category').safeParse(newInvoice.category);
      if (!c.success) errs.category = c.error.issues[0]!.message;
      const d = trimmed(200, 'Description').safeParse(newInvoice.description);
      if (!d.success) errs.description = d.error.issues[0]!.message;
      const a = amountProblem(newInvoice.amount);
      if (a) errs.invoiceAmount = a;
    }
    setFieldErrors(errs);
    setStepError(errs.creditItemId ?? null);
    if (Object.keys(errs).length === 0) setStep(3);
  };
  /** Step 4 (comments): the same limits as the command, with the message at the field. */
  const commentErrors = () => {
    const errs: Record<string, string> = {};
    for (const [key, label, text, max] of [
      ['classification', 'Classification', classification, 120],
      ['publicComment', 'Public comment', publicComment, 500],
      ['privateComment', 'Private comment', privateComment, 500],
    ] as const) {
      const r = trimmed(max, label).safeParse(text);
      if (!r.success) errs[key] = `${r.error.issues[0]!.message.replace(/\.$/, '')} (now ${text.trim().length}).`;
    }
    return errs;
  };

  const post = async (which: AccountSummaryDTO[]) => {
    const errs = commentErrors();
    setFieldErrors(errs);
    if (Object.keys(errs).length > 0) return setStep(3);
    if (!creditItemId) return setStepError('Choose a credit item (or create one).');
    if (againstInvoice && !invoiceId) return setStepError('Choose the invoice to post the credit against.');
    setStepError(null);
    setBusy(true);
    const out = new Map(results.map((r) => [r.account.id, r]));
    for (const a of which) {
      const creditId = (ids.current.credits[a.id] ??= newId());
      const r = await call('credits.post', {
        creditId,
        batchId: ids.current.batchId,
        accountId: a.id,
        amount: amounts[a.id] ?? '',
        creditItemId,
        ...(classification.trim() ? { classification: classification.trim() } : {}),
        ...(publicComment.trim() ? { publicComment: publicComment.trim() } : {}),
        ...(privateComment.trim() ? { privateComment: privateComment.trim() } : {}),
        ...(single && againstInvoice && invoiceId && !withNewInvoice ? { invoiceId } : {}),
        ...(withNewInvoice
          ? {
              newInvoice: {
                invoiceId: (ids.current.invoices[a.id] ??= newId()),
                invoiceNumber: newInvoice.invoiceNumber.trim(),
                ...(newInvoice.dueDate ? { dueDate: newInvoice.dueDate } : {}),
                lines: [{ category: newInvoice.category.trim(), description: newInvoice.description.trim(), amount: newInvoice.amount }],
              },
            }
          : {}),
      });
      // A retry of an account that did post (the answer was lost) is "already posted": show it posted.
      if (!r.ok && r.error.code === 'CONFLICT' && r.error.details?.field === 'creditId') {
        const again = await call('credits.get', { creditId });
        if (again.ok) {
          out.set(a.id, { account: a, amount: amounts[a.id] ?? '', credit: again.value, error: null });
          continue;
        }
      }
      out.set(a.id, { account: a, amount: amounts[a.id] ?? '', credit: r.ok ? r.value : null, error: r.ok ? null : r.error });
    }
    setResults(accounts.map((a) => out.get(a.id)).filter((x): x is Result => !!x));
    setBusy(false);
    setStep(4);
  };

  // Keyboard: each new step puts focus on its heading; Escape steps back (not from the results,
  // and not from inside a popover or dialog: Escape closes that first).
  const card = useRef<HTMLDivElement>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) return void (firstStep.current = false); // step 1 starts in its search field
    card.current?.querySelector<HTMLElement>('[data-step-heading]')?.focus();
  }, [step]);
  // Listened for in the capture phase, before a popover's own Escape closes (and unmounts) it, so
  // an Escape that starts inside one is told apart.
  const stepBack = useRef<() => void>(() => undefined);
  stepBack.current = () => {
    if (!busy && step > 0 && step < 4) setStep(step - 1);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const from = e.target instanceof Element ? e.target : null;
      if (from?.closest('.mantine-Popover-dropdown, [role="dialog"], [data-combobox-dropdown], [data-escape-local]')) return;
      stepBack.current();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);

  const failed = results.filter((r) => r.error);
  return (
    <Stack maw={960}>
      <PageHeader title="Post Credit" subtitle="A credit (discount item) for one or more accounts. Gift cards and prepayments are added in the account's Gift Cards & Prepayments section." />
      <Card withBorder ref={card}>
        <Stepper active={step} allowNextStepsSelect={false} size="sm" mb="lg">
          <Stepper.Step label="Accounts" description="Who gets the credit" />
          <Stepper.Step label="Amounts" description="How much each" />
          <Stepper.Step label="Transaction" description="Item and invoice" />
          <Stepper.Step label="Comments" description="What the payer sees" />
          <Stepper.Step label="Results" description="What was posted" />
        </Stepper>

        {step === 0 && (
          <Stack>
            <AccountsStep accounts={accounts} onChange={setAccounts} />
            {stepError && (
              <Alert color="red" variant="light" role="alert">
                {stepError}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={back}>
                Cancel
              </Button>
              <Button onClick={nextFromAccounts}>Next</Button>
            </Group>
          </Stack>
        )}

        {step === 1 && (
          <Stack>
            <Group justify="space-between">
              <Title order={2} size="h4" tabIndex={-1} data-step-heading>
                Credit amounts
              </Title>
              <SetAll
                onApply={(v) => {
                  setAmounts(Object.fromEntries(accounts.map((a) => [a.id, v])));
                  setAmountErrors({});
                }}
              />
            </Group>
            <Table aria-label="Credit amounts" verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th ta="right">Balance</Table.Th>
                  <Table.Th w={220}>Credit amount</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounts.map((a, i) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Text size="sm">
                        <b>{a.accountNumber}</b> · {a.name}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Money cents={a.balanceCents} colorCredit />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Credit amount for ${a.accountNumber}`}
                        leftSection="$"
                        inputMode="decimal"
                        autoFocus={i === 0}
                        value={amounts[a.id] ?? ''}
                        error={amountErrors[a.id]}
                        onChange={(e) => {
                          const v = e.currentTarget.value;
                          setAmounts((m) => ({ ...m, [a.id]: v }));
                        }}
                        onKeyDown={(e) => e.key === 'Enter' && nextFromAmounts()}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStep(0)}>
                Back
              </Button>
              <Button onClick={nextFromAmounts}>Next</Button>
            </Group>
          </Stack>
        )}

        {step === 2 && (
          <Stack>
            <Title order={2} size="h4" tabIndex={-1} data-step-heading>
              Set up the transaction
            </Title>
            {single && !withNewInvoice && (
              <Checkbox label={`Post the credit against an invoice of ${single.accountNumber}`} checked={againstInvoice} onChange={(e) => setAgainstInvoice(e.currentTarget.checked)} />
            )}
            {single && againstInvoice && !withNewInvoice && (
              <NativeSelect
                label="Invoice"
                value={invoiceId}
                onChange={(e) => setInvoiceId(e.currentTarget.value)}
                error={fieldErrors.invoiceId}
                data={[{ value: '', label: 'Choose an invoice…' }, ...openInvoices.map((i) => ({ value: i.id, label: `${i.invoiceNumber} · due ${i.dueDate} · open ${formatMoney(i.openCents)}` }))]}
              />
            )}
            {role === 'admin' && (
              <Checkbox
                label={`Post the credit with a new invoice${accounts.length > 1 ? ' (one for each account)' : ''}`}
                checked={withNewInvoice}
                onChange={(e) => {
                  setWithNewInvoice(e.currentTarget.checked);
                  if (e.currentTarget.checked) setAgainstInvoice(false);
                }}
                data-testid="with-new-invoice"
              />
            )}
            {withNewInvoice && (
              <Group grow align="flex-start">
                <TextInput label="Invoice number" value={newInvoice.invoiceNumber} onChange={(e) => setNewInvoice({ ...newInvoice, invoiceNumber: e.currentTarget.value })} error={fieldErrors.invoiceNumber} data-testid="new-invoice-number" />
                <TextInput label="Due date" type="date" description="Blank: the credit date" value={newInvoice.dueDate} onChange={(e) => setNewInvoice({ ...newInvoice, dueDate: e.currentTarget.value })} />
                <TextInput label="Category" value={newInvoice.category} onChange={(e) => setNewInvoice({ ...newInvoice, category: e.currentTarget.value })} error={fieldErrors.category} data-testid="new-invoice-category" />
                <TextInput label="Description" value={newInvoice.description} onChange={(e) => setNewInvoice({ ...newInvoice, description: e.currentTarget.value })} error={fieldErrors.description} />
                <TextInput label="Charge amount" leftSection="$" value={newInvoice.amount} onChange={(e) => setNewInvoice({ ...newInvoice, amount: e.currentTarget.value })} error={fieldErrors.invoiceAmount} data-testid="new-invoice-amount" />
              </Group>
            )}
            <CreditItemPicker items={items.data ?? []} value={creditItemId} onChange={(v) => (setCreditItemId(v), setStepError(null))} onCreated={() => items.reload()} />
            <Alert color="blue" variant="light">
              Credits added to an account or to current or paid invoices are paid on invoices as they come due, oldest due first; what is left stays on the account for the next invoice.
            </Alert>
            <Table aria-label="Credits to post" verticalSpacing={4}>
              <Table.Tbody>
                {accounts.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      {a.accountNumber} · {a.name}
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(centsOf(amounts[a.id] ?? ''))}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {stepError && (
              <Alert color="red" variant="light" role="alert">
                {stepError}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStep(1)} disabled={busy}>
                Back
              </Button>
              <Button onClick={nextFromTransaction} data-testid="transaction-next">
                Next
              </Button>
            </Group>
          </Stack>
        )}

        {step === 3 && (
          <Stack>
            <Title order={2} size="h4" tabIndex={-1} data-step-heading>
              Comments
            </Title>
            <TextInput label="Classification" description="Your company name" value={classification} onChange={(e) => setClassification(e.currentTarget.value)} error={fieldErrors.classification} />
            <Textarea
              label="Public comment"
              description={`The payer sees it on statements and receipts. ${publicComment.trim().length} of 500 characters.`}
              autosize
              minRows={1}
              value={publicComment}
              onChange={(e) => setPublicComment(e.currentTarget.value)}
              error={fieldErrors.publicComment}
              data-testid="public-comment"
            />
            <Textarea
              label="Private comment"
              description={`Office only: never shown to the payer. ${privateComment.trim().length} of 500 characters.`}
              autosize
              minRows={1}
              value={privateComment}
              onChange={(e) => setPrivateComment(e.currentTarget.value)}
              error={fieldErrors.privateComment}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStep(2)} disabled={busy}>
                Back
              </Button>
              <Button onClick={() => void post(results.length > 0 ? results.filter((r) => r.error).map((r) => r.account) : accounts)} loading={busy} data-testid="post-credit">
                Post credit{accounts.length > 1 ? ` to ${accounts.length} accounts` : ''}
              </Button>
            </Group>
          </Stack>
        )}

        {step === 4 && (
          <Stack>
            <Title order={2} size="h4" tabIndex={-1} data-step-heading>
              Results
            </Title>
            <Table aria-label="Post Credit results" verticalSpacing={6} data-testid="post-credit-results">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={48}>
                    <VisuallyHidden>Result</VisuallyHidden>
                  </Table.Th>
                  <Table.Th>Account</Table.Th>
                  <Table.Th ta="right">Credit</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th ta="right">Balance now</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((r) => (
                  <Table.Tr key={r.account.id} data-testid={`result-${r.account.accountNumber}`}>
                    <Table.Td>
                      {r.credit ? (
                        <ThemeIcon color="green" radius="xl" size="md" aria-label="Posted" role="img">
                          <IconCheck size={16} />
                        </ThemeIcon>
                      ) : (
                        <ThemeIcon color="red" radius="xl" size="md" aria-label="Not posted" role="img">
                          <IconX size={16} />
                        </ThemeIcon>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {r.account.accountNumber} · {r.account.name}
                    </Table.Td>
                    <Table.Td ta="right">{r.credit ? <Money cents={r.credit.amountCents} /> : <Money cents={centsOf(r.amount)} c="dimmed" />}</Table.Td>
                    <Table.Td>
                      {r.credit ? (
                        <Text size="sm">
                          Posted{r.credit.appliedCents > 0 ? `; ${formatMoney(r.credit.appliedCents)} paid on invoices` : ''}
                          {r.credit.unappliedCents > 0 ? `; ${formatMoney(r.credit.unappliedCents)} waits for the next invoice` : ''}
                        </Text>
                      ) : (
                        <Text size="sm" c="red.7">
                          {r.error?.message}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{r.credit ? <Money cents={r.credit.accountBalanceCents} colorCredit data-testid={`balance-${r.account.accountNumber}`} /> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {failed.length > 0 && (
              <Alert color="yellow" variant="light">
                {failed.length} of {results.length} account{results.length === 1 ? '' : 's'} could not be credited. The others keep their credit.
              </Alert>
            )}
            <Group justify="flex-end">
              {failed.length > 0 && (
                <Button variant="default" onClick={() => setStep(3)} data-testid="back-to-fix">
                  Back to fix
                </Button>
              )}
              {failed.length > 0 && (
                <Button variant="default" onClick={() => void post(failed.map((f) => f.account))} loading={busy}>
                  Retry failed
                </Button>
              )}
              {single && (
                <Button variant="default" onClick={() => go('account', { accountId: single.id })}>
                  Open account
                </Button>
              )}
              <Button onClick={back} autoFocus>
                Done
              </Button>
            </Group>
          </Stack>
        )}
      </Card>
    </Stack>
  );
}

/** Step 1: search and add accounts; "Add another account" brings the search back. */
function AccountsStep({ accounts, onChange }: { accounts: AccountSummaryDTO[]; onChange(a: AccountSummaryDTO[]): void }) {
  const [searching, setSearching] = useState(accounts.length === 0);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 100);
  const divisionId = useDivision((s) => s.divisionId);
  const res = useQuery('payers.search', searching && debounced.trim() ? { query: debounced, divisionId, limit: 8 } : null);
  const found = (res.data?.accounts ?? []).filter((a) => !accounts.some((x) => x.id === a.id));
  // Opened from an account's page, that account arrives after the first render: show it, not the search.
  useEffect(() => setSearching(accounts.length === 0), [accounts.length]);
  const add = (a: AccountSummaryDTO) => {
    onChange([...accounts, a]);
    setQ('');
    setSearching(false);
  };
  return (
    <Stack>
      <Title order={2} size="h4" tabIndex={-1} data-step-heading>
        Accounts
      </Title>
      {accounts.length > 0 && (
        <Table aria-label="Accounts to credit" verticalSpacing={4}>
          <Table.Tbody>
            {accounts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm">
                    <b>{a.accountNumber}</b> · {a.name} <Text span size="xs" c="dimmed">{a.divisionName}{a.status !== 'active' ? ' · inactive' : ''}</Text>
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Money cents={a.balanceCents} colorCredit size="sm" />
                </Table.Td>
                <Table.Td w={90} ta="right">
                  <Button size="xs" variant="subtle" color="red" onClick={() => onChange(accounts.filter((x) => x.id !== a.id))} aria-label={`Remove ${a.accountNumber}`}>
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {searching ? (
        <Stack gap={4}>
          <TextInput label="Search for an account" placeholder="Account number, name or user ID" value={q} onChange={(e) => setQ(e.currentTarget.value)} autoFocus data-testid="credit-account-search" />
          <Stack gap={2} role="list" aria-label="Accounts found">
            {found.map((a) => (
              <Group key={a.id} role="listitem" justify="space-between" p={6} style={{ borderRadius: 6, border: '1px solid var(--mantine-color-gray-3)' }}>
                <Text size="sm">
                  <b>{a.accountNumber}</b> · {a.name} <Text span size="xs" c="dimmed">{a.divisionName}</Text>
                </Text>
                <Group gap={6}>
                  <Money cents={a.balanceCents} size="sm" />
                  <Button size="xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => add(a)} aria-label={`Add ${a.accountNumber} ${a.name}`}>
                    Add
                  </Button>
                </Group>
              </Group>
            ))}
            {debounced.trim() && !res.loading && found.length === 0 && (
              <Text size="sm" c="dimmed">
                No other account matches “{debounced}”.
              </Text>
            )}
          </Stack>
        </Stack>
      ) : (
        <Group>
          <Button variant="light" leftSection={<IconPlus size={14} />} onClick={() => setSearching(true)}>
            Add another account
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** "$ Set all to…": one amount for every account listed. */
function SetAll({ onApply }: { onApply(v: string): void }) {
  const [opened, setOpened] = useState(false);
  const [v, setV] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const apply = () => {
    const p = amountProblem(v);
    if (p) return setErr(p);
    onApply(v);
    setOpened(false);
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" trapFocus withArrow>
      <Popover.Target>
        <Button variant="light" onClick={() => setOpened((o) => !o)}>
          $ Set all to…
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput label="Amount for every account" leftSection="$" inputMode="decimal" value={v} error={err} onChange={(e) => setV(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && apply()} data-autofocus />
          <Button size="xs" onClick={apply}>
            Set all
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** The credit (discount) item, chosen from the list or created on the spot. */
export function CreditItemPicker({ items, value, onChange, onCreated }: { items: { id: string; name: string }[]; value: string; onChange(id: string): void; onCreated(): void }) {
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const data = useMemo(() => [{ value: '', label: 'Choose a credit item…' }, ...items.map((i) => ({ value: i.id, label: i.name }))], [items]);
  const create = async () => {
    const r = await call('creditItems.create', { name });
    if (!r.ok) return setError(r.error);
    setError(null);
    setCreating(false);
    setName('');
    onCreated();
    onChange(r.value.id);
  };
  const newItemButton = useRef<HTMLButtonElement>(null);
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs">
        <NativeSelect label="Credit item" style={{ flex: 1 }} value={value} onChange={(e) => onChange(e.currentTarget.value)} data={data} data-testid="credit-item" />
        <Button variant="default" ref={newItemButton} onClick={() => setCreating((c) => !c)}>
          New credit item
        </Button>
      </Group>
      {creating && (
        // Escape here closes this field (not the wizard step): data-escape-local.
        <Group align="flex-end" gap="xs" data-escape-local>
          <TextInput
            label="New credit item name"
            style={{ flex: 1 }}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void create();
              if (e.key === 'Escape') {
                setCreating(false);
                newItemButton.current?.focus(); // back where the clerk opened it, not the page body
              }
            }}
            autoFocus
          />
          <Button onClick={() => void create()}>Add item</Button>
        </Group>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
