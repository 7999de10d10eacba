import { Button, Card, Group, Modal, Stack, Switch, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AppError } from '../../shared/result';
import { ErrorAlert } from './ErrorAlert';
import { FormActions } from './FormParts';
import { PageHeader } from './PageHeader';
import { StatusBadge } from './StatusBadge';

/** One column of a catalog table. */
export interface CatalogColumn<T> {
  header: string;
  cell(row: T): ReactNode;
  numeric?: boolean;
}

/** A row button; its accessible name is "<label> <row name>". */
export interface CatalogAction {
  label: string;
  color?: string;
  run(): void;
}

interface CatalogRow {
  id: string;
  name: string;
  status: string;
}

/**
 * The page of a list the office keeps (credit items, payment categories): a header with its Add
 * button, "Show retired", the table with each row's status and actions, and an empty line.
 */
export function CatalogPage<T extends CatalogRow>(props: {
  title: string;
  subtitle: string;
  addLabel: string;
  onAdd(): void;
  /** The table's accessible name; the switch reads "Show retired <noun>". */
  tableLabel: string;
  noun: string;
  showRetired: boolean;
  onShowRetired(v: boolean): void;
  rows: T[] | undefined;
  error: AppError | null | undefined;
  errorTitle?: string;
  columns: CatalogColumn<T>[];
  statusNote?(row: T): ReactNode;
  actions(row: T): CatalogAction[];
  empty: string;
  children?: ReactNode;
}) {
  const { rows, columns } = props;
  return (
    <Stack>
      <PageHeader title={props.title} subtitle={props.subtitle} actions={<Button onClick={props.onAdd}>{props.addLabel}</Button>} />
      <Card withBorder>
        <Group justify="flex-end" mb="sm">
          <Switch label={`Show retired ${props.noun}`} checked={props.showRetired} onChange={(e) => props.onShowRetired(e.currentTarget.checked)} />
        </Group>
        <ErrorAlert error={props.error} {...(props.errorTitle ? { title: props.errorTitle } : {})} />
        <Table aria-label={props.tableLabel} verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              {columns.map((c) => (
                <Table.Th key={c.header} ta={c.numeric ? 'right' : undefined}>
                  {c.header}
                </Table.Th>
              ))}
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(rows ?? []).map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td fw={600}>{row.name}</Table.Td>
                {columns.map((c) => (
                  <Table.Td key={c.header} ta={c.numeric ? 'right' : undefined}>
                    {c.cell(row)}
                  </Table.Td>
                ))}
                <Table.Td>
                  <StatusBadge status={row.status} />
                  {props.statusNote?.(row)}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {props.actions(row).map((a) => (
                      <Button key={a.label} size="xs" variant="subtle" color={a.color} onClick={a.run} aria-label={`${a.label} ${row.name}`}>
                        {a.label}
                      </Button>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rows?.length === 0 && <Text c="dimmed">{props.empty}</Text>}
      </Card>
      {props.children}
    </Stack>
  );
}

/**
 * The add/edit dialog of a catalog entry: the fields, the refusal (unless a field shows it), Cancel
 * and Save. A refusal naming `name` is shown by the Name field itself.
 */
export function CatalogEditor({ opened, title, error, onClose, onSubmit, children }: { opened: boolean; title: string; error: AppError | null; onClose(): void; onSubmit(): void; children: ReactNode }) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {children}
          <FormActions error={error?.details?.field === 'name' ? null : error} onCancel={onClose} label="Save" />
        </Stack>
      </form>
    </Modal>
  );
}

/** The message a refusal shows on the field it names, for a field's `error` prop. */
export const fieldError = (error: AppError | null, field: string) => (error?.details?.field === field ? error.message : undefined);
