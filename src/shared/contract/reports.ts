import { z } from 'zod';
import { channel } from './define';
import type { AgingFigures } from './periods';
import type { PaymentMethod } from './dto';
import { id, isoDate } from './fields';

/** One line of the Home page's "Needs your attention" list; `page` is where to fix it. */
export interface AttentionItemDTO {
  kind: 'undeposited' | 'stale-deposit' | 'notification-errors';
  count: number;
  amountCents: number | null;
  text: string;
}

/** The Home page: the business day at a glance for the signed-in user's role. */
export interface HomeSummaryDTO {
  date: string;
  payments: { count: number; totalCents: number; mine: number; byMethod: { method: PaymentMethod; count: number; totalCents: number }[] };
  openDeposits: { id: string; number: string; depositDate: string; divisionName: string; payments: number; totalCents: number }[] | null;
  attention: AttentionItemDTO[];
  /** Supervisors and Admins only (null for CSRs, who do not see aging). */
  aging: AgingFigures | null;
}

export const reportsContract = {
  'reports.home': channel<HomeSummaryDTO>()(z.object({ date: isoDate.optional(), divisionId: id.nullable().optional() }).strict()),
} as const;
