import { Alert, Checkbox, Radio, Stack, Table, Text } from '@mantine/core';
import type { ImportDecisions, ImportPreviewDTO } from '../../../shared/contract/imports';

const FIELD: Record<'name' | 'email' | 'userId', string> = { name: 'Name', email: 'Email', userId: 'User ID' };

/**
 * What the file would change about who a payer is, and the admin's answer to each question. The
 * answers travel with the apply command; core refuses the file while a question is open.
 */
export function ImportDecisionsPanel({ preview, disabled, onDecide }: { preview: ImportPreviewDTO; disabled: boolean; onDecide: (d: ImportDecisions) => void }) {
  const d = preview.decisions;
  const ids = preview.identityChanges;
  const accounts = new Set(ids.map((c) => `${c.division}\u0000${c.accountNumber}`)).size;
  const divisionName = preview.otherDivision[0]?.division ?? '';
  return (
    <Stack gap="md" data-testid="import-decisions">
      {ids.length > 0 && (
        <Alert color={d.identity ? 'blue' : 'yellow'} title={`Changed details on ${accounts} existing account${accounts === 1 ? '' : 's'} (${ids.length} change${ids.length === 1 ? '' : 's'})`}>
          <Stack gap="xs">
            <Table striped withTableBorder data-testid="identity-changes" aria-label="Changed payer details">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Now</Table.Th>
                  <Table.Th>In the file</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ids.slice(0, 200).map((c) => (
                  <Table.Tr key={`${c.row}-${c.field}`}>
                    <Table.Td>{c.row}</Table.Td>
                    <Table.Td>{c.accountNumber}</Table.Td>
                    <Table.Td>{FIELD[c.field]}</Table.Td>
                    <Table.Td>{c.oldValue ?? '(none)'}</Table.Td>
                    <Table.Td>{c.newValue}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {ids.length > 200 && <Text size="xs">… and {ids.length - 200} more (all are in the exported result).</Text>}
            <Radio.Group label="These details" value={d.identity ?? ''} onChange={(v) => onDecide({ identity: v as 'apply' | 'keep' })} withAsterisk>
              <Stack gap={4} mt={4}>
                <Radio value="keep" label="Keep existing details (only balances change)" disabled={disabled} />
                <Radio value="apply" label="Apply the new details from the file" disabled={disabled} />
              </Stack>
            </Radio.Group>
          </Stack>
        </Alert>
      )}
      {preview.otherDivision.length > 0 && (
        <Alert color={d.otherDivision ? 'blue' : 'yellow'} title={`${preview.otherDivision.length} account number${preview.otherDivision.length === 1 ? '' : 's'} already exist in another division`}>
          <Stack gap="xs">
            <Text size="sm" data-testid="other-division">
              {preview.otherDivision
                .slice(0, 50)
                .map((o) => `Row ${o.row}: ${o.accountNumber} (in ${o.existsIn.join(', ')})`)
                .join('; ')}
              {preview.otherDivision.length > 50 ? '; …' : ''}
            </Text>
            <Radio.Group label="These rows" value={d.otherDivision ?? ''} onChange={(v) => onDecide({ otherDivision: v as 'separate' | 'skip' })} withAsterisk>
              <Stack gap={4} mt={4}>
                <Radio value="separate" label={`Create separate accounts in ${divisionName}`} disabled={disabled} />
                <Radio value="skip" label="Skip those rows" disabled={disabled} />
              </Stack>
            </Radio.Group>
          </Stack>
        </Alert>
      )}
      {(preview.divisionMismatches > 0 || d.divisionColumn === 'file') && (
        <Checkbox
          label="Use the file's Division column (rows go to the division the file names, not the one selected)"
          checked={d.divisionColumn === 'file'}
          disabled={disabled}
          onChange={(e) => onDecide({ divisionColumn: e.currentTarget.checked ? 'file' : 'selected' })}
          data-testid="use-file-division"
        />
      )}
    </Stack>
  );
}
