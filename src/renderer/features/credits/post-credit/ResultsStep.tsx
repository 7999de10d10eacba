import { Alert, Button, Group, Stack, Table, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { Dispatch } from 'react';
import { formatMoney } from '../../../../shared/money';
import { Money } from '../../../components/Money';
import { centsOf } from './field-checks';
import { singleAccount, type AccountResult, type PostCreditAction, type PostCreditState } from './wizard-reducer';

interface Props {
  state: PostCreditState;
  dispatch: Dispatch<PostCreditAction>;
  onRetry(which: PostCreditState['accounts']): void;
  onOpenAccount(accountId: string): void;
  onDone(): void;
}

/** Step 5: a check or a cross per account; the failed ones can be fixed or retried. */
export function ResultsStep({ state, dispatch, onRetry, onOpenAccount, onDone }: Props) {
  const { results, busy } = state;
  const failed = results.filter((r) => r.error);
  const single = singleAccount(state);
  return (
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
            <ResultRow key={r.account.id} r={r} />
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
          <Button variant="default" onClick={() => dispatch({ type: 'backToFix' })} data-testid="back-to-fix">
            Back to fix
          </Button>
        )}
        {failed.length > 0 && (
          <Button variant="default" onClick={() => onRetry(failed.map((f) => f.account))} loading={busy}>
            Retry failed
          </Button>
        )}
        {single && (
          <Button variant="default" onClick={() => onOpenAccount(single.id)}>
            Open account
          </Button>
        )}
        <Button onClick={onDone} autoFocus>
          Done
        </Button>
      </Group>
    </Stack>
  );
}

function ResultRow({ r }: { r: AccountResult }) {
  return (
    <Table.Tr data-testid={`result-${r.account.accountNumber}`}>
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
  );
}
