import { fail } from '../../shared/result';
import type { CommandCtx } from '../commands/types';

/**
 * Retiring and restoring a catalog entry (a credit item, a payment category): one rule for both. A
 * retired entry is no longer offered and stays on whatever was posted with it; restoring it needs its
 * name to be free again among the active entries.
 */
export interface CatalogEntry {
  id: string;
  name: string;
  status: string;
}

export interface CatalogSpec<E extends CatalogEntry> {
  /** The audit entity, e.g. 'credit_item'. */
  entity: string;
  /** The command input's field naming the entry (where a refusal points). */
  field: string;
  /** Refuses a restore whose name an active entry took meanwhile. */
  assertNameFree(ctx: CommandCtx, entry: E): Promise<void>;
  /** Writes the new status, with any column the catalog keeps beside it. */
  writeStatus(ctx: CommandCtx, id: string, to: 'active' | 'retired'): Promise<unknown>;
}

export async function setCatalogStatus<E extends CatalogEntry>(ctx: CommandCtx, spec: CatalogSpec<E>, entry: E, to: 'active' | 'retired'): Promise<void> {
  if (to === 'retired' && entry.status === 'retired') fail('CONFLICT', `"${entry.name}" is already retired.`, { field: spec.field });
  if (to === 'active' && entry.status === 'active') fail('CONFLICT', `"${entry.name}" is not retired.`, { field: spec.field });
  if (to === 'active') await spec.assertNameFree(ctx, entry);
  await spec.writeStatus(ctx, entry.id, to);
  await ctx.audit({ action: to === 'retired' ? 'retire' : 'restore', entity: spec.entity, entityId: entry.id, before: { status: entry.status }, after: { status: to } });
}
