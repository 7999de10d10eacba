import { Card, SimpleGrid, Text } from '@mantine/core';
import type { ImportSummaryDTO } from '../../../shared/contract/imports';

/** The figures seed 000 names: rows read, Accounts Updated, Accounts Created, warnings, errors. */
export function ImportSummary({ s, kind }: { s: ImportSummaryDTO; kind: 'balance' | 'bill' }) {
  const items: [string, number, string?][] = [
    ['Rows read', s.rowsRead],
    ['Accounts Updated', s.accountsUpdated],
    ['Accounts Created', s.accountsCreated],
    ...(kind === 'bill'
      ? ([
          ['Invoices new', s.invoicesCreated],
          ['Invoices replaced', s.invoicesReplaced],
        ] as [string, number][])
      : ([
          ['Unchanged', s.accountsUnchanged],
          ['Not in file', s.notInFile],
        ] as [string, number][])),
    ['Warnings', s.warnings, s.warnings > 0 ? 'yellow.9' : undefined],
    ['Errors', s.errors, s.errors > 0 ? 'red.8' : undefined],
  ];
  return (
    <SimpleGrid cols={{ base: 3, md: 7 }} spacing="xs" data-testid="import-summary">
      {items.map(([label, n, color]) => (
        <Card key={label} withBorder padding="xs">
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Text fw={700} size="lg" c={color} data-testid={`summary-${label.toLowerCase().replace(/ /g, '-')}`}>
            {n.toLocaleString()}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
