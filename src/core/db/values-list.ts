import type { Dialect } from './schema';

/**
 * The VALUES part of a multi-row INSERT: `rows` groups of `width` placeholders (`?` on SQLite,
 * numbered `$1…` on PostgreSQL). Used by the desk's bulk inserts (commands/executor.ts) and the
 * server's push batch (server/db/batch-db.ts).
 */
export function valuesList(dialect: Dialect, width: number, rows: number): string {
  const out: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const slots: string[] = [];
    for (let c = 0; c < width; c++) slots.push(dialect === 'postgres' ? `$${++n}` : '?');
    out.push(`(${slots.join(', ')})`);
  }
  return out.join(', ');
}
