import { Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import type { ImportPreviewDTO, ReadAsDTO } from '../../../shared/contract/imports';

/**
 * How the file's text was read (decimal comma, day-first dates), pre-selected from what the file
 * suggests; changing a choice reads the file again. The first rows' money and dates show the effect.
 */
export function ReadingChoices({ preview, disabled, onChange }: { preview: ImportPreviewDTO; disabled: boolean; onChange: (r: ReadAsDTO) => void }) {
  const { readAs, suggested, sample } = preview;
  const hint = (k: keyof ReadAsDTO) => (suggested[k] ? ' (the file suggests this)' : '');
  return (
    <Stack gap="xs" data-testid="reading-choices">
      <Group>
        <Checkbox
          label={`Decimal comma: 1.234,56${hint('decimalComma')}`}
          checked={readAs.decimalComma}
          disabled={disabled}
          onChange={(e) => onChange({ ...readAs, decimalComma: e.currentTarget.checked })}
        />
        <Checkbox
          label={`Day-first dates: 31/01/2026${hint('dayFirst')}`}
          checked={readAs.dayFirst}
          disabled={disabled}
          onChange={(e) => onChange({ ...readAs, dayFirst: e.currentTarget.checked })}
        />
      </Group>
      {sample.length > 0 && (
        <Table withTableBorder striped aria-label="How the first rows were read" data-testid="reading-sample">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>In the file</Table.Th>
              <Table.Th>Read as</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sample.map((s) => (
              <Table.Tr key={`${s.row}-${s.column}`}>
                <Table.Td>{s.row}</Table.Td>
                <Table.Td>{s.column}</Table.Td>
                <Table.Td>{s.written}</Table.Td>
                <Table.Td>{s.read}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {sample.length === 0 && (
        <Text size="xs" c="dimmed">
          No money or date text to show.
        </Text>
      )}
    </Stack>
  );
}
