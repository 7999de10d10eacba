import type { Kysely } from 'kysely';
import type { Dialect } from '../schema';

export interface MigrationContext {
  dialect: Dialect;
}

export interface LedgerMigration {
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}
