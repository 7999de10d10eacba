import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { Dispatch } from 'react';
import { Money } from '../../../components/Money';
import { SetAll } from './SetAll';
import type { PostCreditAction, PostCreditState } from './wizard-reducer';

/** Step 2: one amount per account, or "Set all to…" one amount for every account. */
export function AmountsStep({ state, dispatch }: { state: PostCreditState; dispatch: Dispatch<PostCreditAction> }) {
  const next = () => dispatch({ type: 'next' });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4" tabIndex={-1} data-step-heading>
          Credit amounts
        </Title>
        <SetAll onApply={(value) => dispatch({ type: 'allAmountsSet', value })} />
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
          {state.accounts.map((a, i) => (
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
                  value={state.amounts[a.id] ?? ''}
                  error={state.amountErrors[a.id]}
                  onChange={(e) => dispatch({ type: 'amountTyped', accountId: a.id, value: e.currentTarget.value })}
                  onKeyDown={(e) => e.key === 'Enter' && next()}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => dispatch({ type: 'back' })}>
          Back
        </Button>
        <Button onClick={next}>Next</Button>
      </Group>
    </Stack>
  );
}
