import { Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** Value to sort by; a column without one is not sortable. */
  sortValue?: (row: T) => string | number;
  align?: 'left' | 'right' | 'center';
  width?: number | string;
}

interface Props<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  onRowOpen?: (row: T) => void;
  /** Accessible name of the table. */
  label: string;
  empty?: ReactNode;
  /** Height of the scrolling area; rows beyond it are virtualized (100k rows scroll smoothly). */
  maxHeight?: number;
  rowHeight?: number;
  testId?: string;
}

/**
 * A sortable table that renders only the rows in view. Rows open with Enter or a click; the arrow
 * keys move between rows.
 */
// long: one virtualised table: scrolling, keyboard focus and row rendering share the same row window
export function DataTable<T>({ rows, columns, rowKey, onRowOpen, label, empty, maxHeight = 480, rowHeight = 38, testId }: Props<T>) {
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col?.sortValue) return rows;
    const sv = col.sortValue;
    return [...rows].sort((a, b) => {
      const x = sv(a);
      const y = sv(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sort.dir;
    });
  }, [rows, sort, columns]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: sorted.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 12 });
  const items = virtual.getVirtualItems();
  const padTop = items.length > 0 ? items[0]!.start : 0;
  const padBottom = items.length > 0 ? virtual.getTotalSize() - items[items.length - 1]!.end : 0;

  const onKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, row: T) => {
    // Enter on a button inside the row (Make Payment) is that button's, not the row's.
    if (e.key === 'Enter' && onRowOpen && e.target === e.currentTarget) {
      e.preventDefault();
      onRowOpen(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(0, Math.min(sorted.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
      virtual.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
    }
  };

  if (rows.length === 0 && empty) return <>{empty}</>;
  return (
    // Without focusable rows the scrolling area itself takes focus, so the keyboard can scroll it.
    <div ref={scrollRef} style={{ maxHeight, overflow: 'auto' }} data-testid={testId} {...(onRowOpen ? {} : { tabIndex: 0, role: 'region', 'aria-label': label })}>
      <Table striped highlightOnHover stickyHeader aria-label={label} aria-rowcount={sorted.length} verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.key} style={{ textAlign: c.align, width: c.width }} aria-sort={sort?.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}>
                {c.sortValue ? (
                  <UnstyledButton
                    onClick={() => setSort((s) => (s?.key === c.key ? { key: c.key, dir: s.dir === 1 ? -1 : 1 } : { key: c.key, dir: 1 }))}
                    fw={600}
                    fz="sm"
                  >
                    {c.header}
                    {sort?.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                  </UnstyledButton>
                ) : c.header === '' ? (
                  <VisuallyHidden>Actions</VisuallyHidden>
                ) : (
                  c.header
                )}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {padTop > 0 && (
            <tr aria-hidden>
              <td style={{ height: padTop, padding: 0 }} colSpan={columns.length} />
            </tr>
          )}
          {items.map((vi) => {
            const row = sorted[vi.index]!;
            return (
              <Table.Tr
                key={rowKey(row)}
                data-index={vi.index}
                tabIndex={onRowOpen ? 0 : undefined}
                onClick={onRowOpen ? () => onRowOpen(row) : undefined}
                onKeyDown={(e) => onKey(e, vi.index, row)}
                style={{ cursor: onRowOpen ? 'pointer' : undefined, height: rowHeight }}
              >
                {columns.map((c) => (
                  <Table.Td key={c.key} style={{ textAlign: c.align }}>
                    {c.cell(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden>
              <td style={{ height: padBottom, padding: 0 }} colSpan={columns.length} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && (
        <Text c="dimmed" size="sm" p="sm">
          Nothing to show.
        </Text>
      )}
    </div>
  );
}
