/**
 * True when a database error is a clash on one of `columns` of `table` (its primary key or a unique
 * column; SQLite or PostgreSQL, where an inline unique column's constraint is `<table>_<column>_key`).
 * A command that creates a row under an id derived from its input lets the insert itself answer
 * "already there" instead of reading first: one statement fewer per command, and on the server's
 * push the row can be held and written multi-row (a clash then surfaces when it is written, and the
 * batch runs again with a savepoint per command, where the insert raises it at once).
 */
export function isUniqueClash(e: unknown, table: string, columns: string[]): boolean {
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return typeof err.message === 'string' && columns.some((c) => (err.message as string).endsWith(`: ${table}.${c}`));
  }
  return err.code === '23505' && columns.some((c) => err.constraint === (c === 'id' ? `${table}_pkey` : `${table}_${c}_key`));
}
