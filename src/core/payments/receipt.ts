import type { CommandCtx } from '../commands/types';

/**
 * The one receipt builder: every payment and refund receipt (Make Payment, category payments,
 * recurring activations, refunds) is an opening sentence, a blank line and `Label: value` lines,
 * queued in email_outbox for the server to send.
 */
export interface Receipt {
  kind: 'payment-receipt' | 'refund-receipt';
  /** The outbox row's id (derived by the caller, so a replay writes the same row). */
  id: string;
  relatedId: string;
  to: string;
  subject: string;
  opening: string;
  fields: [label: string, value: string][];
  /** Recurring activations may run on more than one side: the second write is a no-op. */
  onceOnly?: boolean;
}

export function receiptBody(opening: string, fields: Receipt['fields']): string {
  return [opening, '', ...fields.map(([label, value]) => `${label}: ${value}`)].join('\n');
}

export async function queueReceipt(ctx: CommandCtx, r: Receipt): Promise<void> {
  const insert = ctx.db.insertInto('email_outbox').values({
    id: r.id,
    kind: r.kind,
    to_address: r.to,
    subject: r.subject,
    body_text: receiptBody(r.opening, r.fields),
    related_id: r.relatedId,
    created_at: ctx.now,
    sent_at: null,
  });
  await (r.onceOnly ? insert.onConflict((oc) => oc.column('id').doNothing()) : insert).execute();
}
