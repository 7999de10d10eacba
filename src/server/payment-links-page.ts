import { createHash } from 'node:crypto';
import { formatDate } from '../shared/dates';
import { centsToPlain, formatMoney } from '../shared/money';
import type { PayerView } from '../core/payment-links';

/**
 * The payer page: plain server-rendered HTML, no script, one inline stylesheet allowed by its hash
 * (the CSP names nothing else). Shows one account and nothing else of the ledger.
 */
const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;border:1px solid #d7dbe0}
h1{font-size:1.5rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea}
td.n,th.n{text-align:right}
.balance{font-size:1.25rem;font-weight:600}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{font:inherit;padding:.45rem .6rem;border:1px solid #6b7280;border-radius:4px;width:12rem}
button{font:inherit;margin-top:1rem;padding:.6rem 1.2rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px;cursor:pointer}
button:focus,input:focus{outline:3px solid #f59e0b;outline-offset:2px}
.hint{color:#4b5563;font-size:.9rem;margin:.25rem 0 0}
.error{color:#b91c1c;font-weight:600}
.note{background:#eef2ff;border-left:4px solid #1d4ed8;padding:.5rem 1rem;white-space:pre-wrap}
`;

export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface PageContext {
  officeName: string;
  officeContact: string;
  /** The form's own address (the token's page). */
  action: string;
  reference: string;
}

/** A link that cannot be paid: said plainly, with nothing of the account but its number. */
export function closedPage(view: Exclude<PayerView, { kind: 'open' }>, office: Pick<PageContext, 'officeName' | 'officeContact'>): string {
  const contact = office.officeContact ? ` Contact ${esc(office.officeName)}: ${esc(office.officeContact)}.` : ` Contact ${esc(office.officeName)} for a new link.`;
  const msg =
    view.kind === 'paid'
      ? `<h1>This link has been used</h1><p>A payment was already made with this link for account ${esc(view.accountNumber)}. Thank you. A link can be used for one payment only.</p>`
      : view.kind === 'expired'
        ? `<h1>This link has expired</h1><p>This payment link for account ${esc(view.accountNumber)} could be used until ${esc(formatDate(view.link.expires_on))}.${contact}</p>`
        : view.kind === 'revoked'
          ? `<h1>This link was withdrawn</h1><p>This payment link for account ${esc(view.accountNumber)} is no longer valid.${contact}</p>`
          : `<h1>Link not found</h1><p>This payment link is not valid. Check that you copied the whole address from your email.</p>`;
  return page('Payment link', msg);
}

/** The open link: balance, open invoices, and either the card form or how to pay by check or transfer. */
export function openPage(view: Extract<PayerView, { kind: 'open' }>, ctx: PageContext, form: { amount?: string; error?: string } = {}): string {
  const rows = view.invoices
    .map((i) => `<tr><td>${esc(i.invoiceNumber)}</td><td>${esc(formatDate(i.dueDate))}</td><td class="n">${esc(formatMoney(i.openCents))}</td></tr>`)
    .join('');
  const invoices = view.invoices.length
    ? `<h2>Open invoices</h2><table><caption class="hint">Invoices with an amount still open</caption><thead><tr><th scope="col">Invoice</th><th scope="col">Due</th><th scope="col" class="n">Open</th></tr></thead><tbody>${rows}</tbody></table>`
    : '';
  const max = view.options.allowOverpay ? '' : ` Up to ${esc(formatMoney(Math.max(0, view.balanceCents)))}.`;
  const payForm = view.gateway
    ? view.balanceCents > 0 || view.options.allowOverpay
      ? `<h2>Pay by card</h2>
<form method="post" action="${esc(ctx.action)}" novalidate>
${form.error ? `<p class="error" id="amount-error" role="alert">${esc(form.error)}</p>` : ''}
<label for="amount">Amount to pay (${esc(view.options.currency.toUpperCase())})</label>
<input id="amount" name="amount" inputmode="decimal" autocomplete="off" value="${esc(form.amount ?? centsToPlain(Math.max(0, view.balanceCents)))}" aria-describedby="amount-hint${form.error ? ' amount-error' : ''}"${form.error ? ' aria-invalid="true"' : ''}>
<p class="hint" id="amount-hint">The balance is filled in; you may pay less.${max}</p>
<button type="submit">Continue to secure card payment</button>
</form>
<p class="hint">You will be sent to our card processor's secure page. Your card details never reach ${esc(ctx.officeName)}.</p>`
      : `<p>There is nothing to pay on this account right now.</p>`
    : `<h2>How to pay</h2>
<p>Online card payment is not available. Please pay by check or bank transfer and quote the reference <strong>${esc(ctx.reference)}</strong>.</p>
${view.options.payInstructions ? `<p class="note">${esc(view.options.payInstructions)}</p>` : `<p>Contact ${esc(ctx.officeName)}${ctx.officeContact ? ` (${esc(ctx.officeContact)})` : ''} for the mailing address or bank details.</p>`}`;
  return page(
    `Pay account ${view.accountNumber}`,
    `<h1>Pay account ${esc(view.accountNumber)}</h1>
<p>${esc(view.accountName)} · ${esc(ctx.officeName)}</p>
<p>Balance due: <span class="balance">${esc(formatMoney(view.balanceCents))}</span></p>
${invoices}
${payForm}
<p class="hint">Reference ${esc(ctx.reference)} · this link works until ${esc(formatDate(view.link.expires_on))} and can be used for one payment.</p>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}
