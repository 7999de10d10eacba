import { afterAll, beforeAll } from 'vitest';
import type { Actor } from '../../src/core/commands/types';
import { ADMIN, drain, makeDesk, startPg, startServer, type Desk, type PgCluster, type RunningServer } from './helpers';

/**
 * The bootstraps the server-backed integration files share: one Postgres cluster per file, a server
 * per backend, and the small office most of them start from.
 */

/** One Postgres cluster for the file's tests; `null` when Postgres is not installed (its tests skip). */
export function usePgCluster(): () => PgCluster | null {
  let pgc: PgCluster | null = null;
  beforeAll(async () => {
    pgc = await startPg();
  }, 60_000);
  afterAll(async () => {
    await pgc?.stop();
  });
  return () => pgc;
}

export type Backend = 'sqlite' | 'postgres';

/** A running server on `backend` (a fresh database named `dbName` on Postgres); `null` when Postgres is not here. */
export async function startServerOn(backend: Backend, pgc: PgCluster | null, dbName: string): Promise<{ server: RunningServer; databaseUrl: string | undefined } | null> {
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    if (!pgc) return null;
    databaseUrl = await pgc.createDb(dbName);
  }
  return { server: await startServer({ databaseUrl }), databaseUrl };
}

export interface Office {
  server: RunningServer;
  databaseUrl: string | undefined;
  /** Desk "a", signed in as the server's administrator. */
  a: Desk;
  admin: Actor;
  divisionId: string;
  /** One account in division "North"; CSR `cara` (password `csr-password-2`) exists too. */
  accountId: string;
}

/** A server on `backend` and desk "a" with a division, a CSR and one account, all pushed. `null` when skipped. */
export async function startOffice(backend: Backend, pgc: PgCluster | null, dbName: string, accountNumber: string): Promise<Office | null> {
  const started = await startServerOn(backend, pgc, dbName);
  if (!started) return null;
  const a = await makeDesk('a', started.server.url);
  const admin = await a.signIn(ADMIN.username, ADMIN.password);
  const div = await a.run(admin, 'divisions.create', { name: 'North' });
  await a.run(admin, 'users.create', { username: 'cara', displayName: 'Cara', role: 'csr', password: 'csr-password-2' });
  const accountId = (await a.run(admin, 'accounts.create', { divisionId: div.id, accountNumber, name: 'Payer One' })).id;
  await drain(a);
  return { ...started, a, admin, divisionId: div.id, accountId };
}
