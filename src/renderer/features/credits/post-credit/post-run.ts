import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import { newId } from '../../../../shared/ids';
import { call } from '../../../api/client';
import { creditInput, type RunIds } from './credit-input';
import type { AccountResult, PostCreditState } from './wizard-reducer';

/**
 * Posts each account's credit as its own command (its own transaction, synced on its own): an
 * account that is refused (inactive, closed month) shows why, and the others keep their credit.
 */
export async function postCredits(s: PostCreditState, which: AccountSummaryDTO[], ids: RunIds): Promise<AccountResult[]> {
  const out: AccountResult[] = [];
  for (const a of which) {
    const input = creditInput(s, a, ids, newId);
    const amount = s.amounts[a.id] ?? '';
    const r = await call('credits.post', input);
    // A retry of an account that did post (the answer was lost) is "already posted": show it posted.
    if (!r.ok && r.error.code === 'CONFLICT' && r.error.details?.field === 'creditId') {
      const again = await call('credits.get', { creditId: input.creditId });
      if (again.ok) {
        out.push({ account: a, amount, credit: again.value, error: null });
        continue;
      }
    }
    out.push({ account: a, amount, credit: r.ok ? r.value : null, error: r.ok ? null : r.error });
  }
  return out;
}
