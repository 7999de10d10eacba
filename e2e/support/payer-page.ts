/**
 * Renders the payer page of a link the way the central server does (`GET /pay/:token`: the same
 * loadPayerView and page functions) from a desk's ledger file, read-only. The server holds the same
 * settings rows by sync (test/sync/payment-links.test.ts runs that path against the real server).
 * Usage: tsx e2e/support/payer-page.ts LEDGER_FILE TOKEN  → prints the HTML as of the day the link was made.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/core/db/schema';
import { openSqliteLedger } from '../../src/core/db/open-sqlite';
import { hashLinkToken, linkReference, loadPayerView } from '../../src/core/payment-links';
import { readSettings } from '../../src/core/settings/settings';
import { closedPage, openPage } from '../../src/server/payment-links-page';

const [file, token] = process.argv.slice(2) as [string, string];
const ledger = await openSqliteLedger(file, { readonly: true });
const db = ledger.db as unknown as Kysely<Database>;
const made = await db.selectFrom('payment_links').select('created_at').where('token_hash', '=', hashLinkToken(token)).executeTakeFirst();
const view = await loadPayerView(db, token, (made?.created_at ?? '2000-01-01').slice(0, 10));
const s = await readSettings(db);
const office = { officeName: s.officeName, officeContact: s.officeContact };
process.stdout.write(view.kind === 'open' ? openPage(view, { ...office, action: `/pay/${token}`, reference: linkReference(view.accountNumber, view.link.id) }) : closedPage(view, office));
await ledger.close();
