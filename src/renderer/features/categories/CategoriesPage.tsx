import { Alert, Button, Group, Modal, NativeSelect, SegmentedControl, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import type { PaymentCategoryDTO } from '../../../shared/contract/categories';
import type { AccountDetailDTO, AccountSummaryDTO, PaymentDetailDTO } from '../../../shared/contract/dto';
import { paymentMethodOptions } from '../../../shared/contract/payment-methods';
import { localDate } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { formatMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CatalogEditor, CatalogPage, fieldError } from '../../components/CatalogPage';
import { useNav } from '../../stores/navigation';

/** Payment categories (Admin): add, edit, delete (a used one is retired instead), for all payers or one payer. */
export function CategoriesPage(_: PageProps) {
  const [showRetired, setShowRetired] = useState(true);
  const list = useQuery('categories.list', { includeRetired: showRetired }, { refreshOn: ['categories'] });
  const [editing, setEditing] = useState<PaymentCategoryDTO | 'new' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const act = async (c: PaymentCategoryDTO, what: 'delete' | 'retire' | 'restore') => {
    const r = what === 'delete' ? await call('categories.delete', { categoryId: c.id }) : await call(`categories.${what}`, { categoryId: c.id });
    setError(r.ok ? null : r.error);
  };
  return (
    <CatalogPage
      title="Payment Categories"
      subtitle="What a payment can be made toward; each counts toward the account balance or is kept outside it."
      addLabel="Add category"
      onAdd={() => setEditing('new')}
      tableLabel="Payment categories"
      noun="categories"
      showRetired={showRetired}
      onShowRetired={setShowRetired}
      rows={list.data}
      error={error ?? list.error}
      errorTitle="Not done"
      columns={[
        { header: 'For', cell: (c) => (c.accountId ? `${c.accountNumber} · ${c.accountName}` : 'All payers') },
        { header: 'Account balance', cell: (c) => (c.countsTowardBalance ? 'Counts toward it' : 'Kept outside it') },
        { header: 'Payments', cell: (c) => c.paymentCount, numeric: true },
      ]}
      actions={(c) => [
        { label: 'Edit', run: () => setEditing(c) },
        { label: 'Delete', color: 'red', run: () => void act(c, 'delete') },
        c.status === 'active' ? { label: 'Retire', run: () => void act(c, 'retire') } : { label: 'Restore', run: () => void act(c, 'restore') },
      ]}
      empty="No payment categories yet."
    >
      <CategoryModal category={editing} onClose={() => setEditing(null)} />
    </CatalogPage>
  );
}

function CategoryModal({ category, onClose }: { category: PaymentCategoryDTO | 'new' | null; onClose(): void }) {
  const [name, setName] = useState('');
  const [counts, setCounts] = useState(true);
  const [scope, setScope] = useState<'all' | 'one'>('all');
  const [account, setAccount] = useState<AccountSummaryDTO | null>(null);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 120);
  const [error, setError] = useState<AppError | null>(null);
  const [seen, setSeen] = useState<unknown>(null);
  const isNew = category === 'new';
  if (category !== seen) {
    setSeen(category);
    setName(category && category !== 'new' ? category.name : '');
    setCounts(category && category !== 'new' ? category.countsTowardBalance : true);
    setScope('all');
    setAccount(null);
    setQ('');
    setError(null);
  }
  const found = useQuery('payers.search', isNew && scope === 'one' && debounced.trim() ? { query: debounced, limit: 6 } : null);
  const submit = async () => {
    const r = isNew
      ? await call('categories.create', { name, countsTowardBalance: counts, ...(scope === 'one' && account ? { accountId: account.id } : {}) })
      : await call('categories.update', { categoryId: (category as PaymentCategoryDTO).id, name, countsTowardBalance: counts });
    if (!r.ok) return setError(r.error);
    onClose();
  };
  return (
    <CatalogEditor
      opened={category !== null}
      title={isNew ? 'Add payment category' : 'Edit payment category'}
      error={error}
      onClose={onClose}
      onSubmit={() => {
        if (isNew && scope === 'one' && !account) return setError({ code: 'VALIDATION', message: 'Choose the payer this category is for.' });
        void submit();
      }}
    >
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus error={fieldError(error, 'name')} />
      <Switch label="Counts toward the account balance" checked={counts} onChange={(e) => setCounts(e.currentTarget.checked)} />
      {!isNew && (
        <Text size="xs" c="dimmed">
          Payments already made keep the setting they were made with.
        </Text>
      )}
      {isNew && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="cat-scope">
            For
          </Text>
          <SegmentedControl aria-labelledby="cat-scope" value={scope} onChange={(v) => setScope(v as 'all' | 'one')} data={[{ value: 'all', label: 'All payers' }, { value: 'one', label: 'One payer' }]} />
        </Stack>
      )}
      {isNew && scope === 'one' && (
        <Stack gap={4}>
          <TextInput label="Payer" placeholder="Account number or name" value={account ? `${account.accountNumber} · ${account.name}` : q} onChange={(e) => (setAccount(null), setQ(e.currentTarget.value))} />
          {!account &&
            (found.data?.accounts ?? []).map((a) => (
              <Button key={a.id} variant="subtle" size="xs" justify="flex-start" onClick={() => setAccount(a)}>
                {a.accountNumber} · {a.name}
              </Button>
            ))}
        </Stack>
      )}
    </CatalogEditor>
  );
}

/** On the account page: a payment toward a category ("category payment"). */
// long: button and its payment form; the fields are the shared FormParts
export function CategoryPaymentButton({ detail }: { detail: AccountDetailDTO }) {
  const a = detail.account;
  const go = useNav((s) => s.go);
  const [opened, setOpened] = useState(false);
  const cats = useQuery('categories.list', opened ? { accountId: a.id } : null, { refreshOn: ['categories'] });
  const [categoryId, setCategoryId] = useState('');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<'cash' | 'check' | 'card' | 'ach'>('cash');
  const [checkNumber, setCheckNumber] = useState('');
  const [email, setEmail] = useState(a.email ?? '');
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<PaymentDetailDTO | null>(null);
  const paymentId = useMemo(() => (opened ? newId() : ''), [opened]);
  const chosen = (cats.data ?? []).find((c) => c.id === categoryId);
  const submit = async () => {
    const r = await call('categories.pay', {
      paymentId,
      accountId: a.id,
      categoryId,
      amount,
      method,
      ...(method === 'check' ? { checkNumber } : {}),
      paymentDate: localDate(),
      ...(email.trim() ? { receiptEmail: email.trim() } : {}),
    });
    if (!r.ok) return setError(r.error);
    setError(null);
    setDone(r.value);
  };
  const fe = (f: string) => (error?.details?.field === f ? error.message : undefined);
  return (
    <>
      <Button variant="default" onClick={() => (setDone(null), setOpened(true))} disabled={a.status !== 'active'}>
        Category payment
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Category payment · ${a.accountNumber}`}>
        {done ? (
          <Stack>
            <Alert color="green" variant="light" title="Payment recorded">
              {formatMoney(done.amountCents)} toward the category · reference {done.reference}
            </Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => go('payment', { paymentId: done.id })}>
                Open payment
              </Button>
              <Button onClick={() => setOpened(false)}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <form noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Stack>
              <NativeSelect
                label="Category"
                required
                value={categoryId}
                onChange={(e) => setCategoryId(e.currentTarget.value)}
                data={[{ value: '', label: 'Choose a category…' }, ...(cats.data ?? []).map((c) => ({ value: c.id, label: `${c.name}${c.accountId ? ' (this payer)' : ''}` }))]}
                error={fe('categoryId')}
              />
              {chosen && (
                <Text size="xs" c="dimmed">
                  {chosen.countsTowardBalance ? 'Counts toward the balance: pays this category’s charges first.' : 'Kept outside the account balance.'}
                </Text>
              )}
              <TextInput label="Amount" required leftSection="$" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={fe('amount')} />
              <NativeSelect label="Method" value={method} onChange={(e) => setMethod(e.currentTarget.value as typeof method)} data={paymentMethodOptions()} />
              {method === 'check' && <TextInput label="Check number" required value={checkNumber} onChange={(e) => setCheckNumber(e.currentTarget.value)} error={fe('checkNumber')} />}
              <TextInput label="Email for the receipt" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fe('receiptEmail')} />
              {error && !['categoryId', 'amount', 'checkNumber', 'receiptEmail'].includes(error.details?.field ?? '') && <ErrorAlert error={error} />}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setOpened(false)}>
                  Cancel
                </Button>
                <Button type="submit">Make payment</Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
