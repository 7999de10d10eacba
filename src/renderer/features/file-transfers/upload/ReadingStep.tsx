import { Button, Card, Group, Progress, Stack, Text } from '@mantine/core';

/** Step 2: the file is being read and checked; Cancel stops it. */
export function ReadingStep({ fileName, rows, onCancel }: { fileName: string; rows: number; onCancel(): void }) {
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Text>
          Reading <b>{fileName}</b>… {rows.toLocaleString()} rows checked
        </Text>
        <Progress value={100} animated striped aria-label="Reading the file" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
