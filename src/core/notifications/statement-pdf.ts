import type PDFKitModule from 'pdfkit';
import { formatDate } from '../../shared/dates';
import { formatMoney } from '../../shared/money';
import type { StatementSnapshot } from './statement-data';

type Doc = PDFKit.PDFDocument;

/**
 * pdfkit parses the standard fonts' metrics (AFM files) again for every document: ~6 ms per font,
 * most of a statement's rendering time. The parsed metrics are read-only tables, so they are parsed
 * once per process and shared by every document.
 */
function shareFontMetrics(PDFDocument: typeof PDFKitModule): void {
  const probe = new PDFDocument({ autoFirstPage: false }) as unknown as { _font?: { font?: { constructor: { prototype: Record<string, unknown> } } } };
  const afm = probe._font?.font?.constructor.prototype as
    | { parse(this: Record<string, unknown>, contents: string): void; __ledgerdeskShared?: boolean }
    | undefined;
  if (!afm || afm.__ledgerdeskShared || typeof afm.parse !== 'function') return;
  const original = afm.parse;
  const cache = new Map<string, Record<string, unknown>>();
  afm.parse = function (this: Record<string, unknown>, contents: string) {
    const key = `${contents.length}:${contents.slice(0, 400)}`;
    let parsed = cache.get(key);
    if (!parsed) {
      original.call(this, contents);
      parsed = { attributes: this.attributes, glyphWidths: this.glyphWidths, boundingBoxes: this.boundingBoxes, kernPairs: this.kernPairs };
      cache.set(key, parsed);
      return;
    }
    Object.assign(this, parsed);
  };
  afm.__ledgerdeskShared = true;
}

let pdfkit: typeof PDFKitModule | null = null;
/** pdfkit and its fonts load on the first PDF: most runs (the command line, imports) draw none. */
async function loadPdfKit(): Promise<typeof PDFKitModule> {
  if (!pdfkit) {
    const mod = (await import('pdfkit')) as unknown as { default: typeof PDFKitModule };
    shareFontMetrics(mod.default);
    pdfkit = mod.default;
  }
  return pdfkit;
}

const LEFT = 50;
const RIGHT = 562; // US Letter is 612pt wide
const BOTTOM = 740;

function newDoc(PDFDocument: typeof PDFKitModule, createdAt: string, title: string): Doc {
  // A fixed creation date makes the same snapshot render to the same bytes.
  const at = new Date(`${createdAt.slice(0, 10)}T00:00:00Z`);
  return new PDFDocument({ size: 'LETTER', margin: LEFT, compress: true, info: { Title: title, Producer: 'Ledgerdesk', Creator: 'Ledgerdesk', CreationDate: at, ModDate: at } });
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
}

function header(doc: Doc, s: StatementSnapshot, title: string): void {
  doc.font('Helvetica-Bold').fontSize(16).fillColor('#000').text(s.office.name, LEFT, 50, { width: 300 });
  doc.font('Helvetica').fontSize(9).fillColor('#333');
  if (s.office.contact) doc.text(s.office.contact, LEFT, doc.y + 2, { width: 300 });
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#000').text(title, 350, 50, { width: RIGHT - 350, align: 'right' });
  doc.font('Helvetica').fontSize(9);
  const rows: [string, string][] = [
    ['Statement date', formatDate(s.statementDate)],
    ['Account', s.account.number],
    ['Pay-by reference', s.payByReference],
  ];
  let y = 74;
  for (const [k, v] of rows) {
    doc.fillColor('#555').text(k, 350, y, { width: 100 });
    doc.fillColor('#000').text(v, 450, y, { width: RIGHT - 450, align: 'right' });
    y += 13;
  }
  doc.y = Math.max(doc.y, y) + 16;
}

function rule(doc: Doc, y: number): void {
  doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor('#999').stroke();
}

/** Draws one balance-forward statement: payer, summary, activity with running balance, aging. */
export function drawStatement(doc: Doc, s: StatementSnapshot): void {
  header(doc, s, 'STATEMENT');
  const top = doc.y;
  doc.font('Helvetica-Bold').fontSize(11).fillColor('#000').text(s.account.name, LEFT, top);
  if (s.account.address) doc.font('Helvetica').fontSize(9.5).text(s.account.address, LEFT, doc.y + 2, { width: 280 });
  doc.font('Helvetica').fontSize(9).text(`Account ${s.account.number} · ${s.account.divisionName}`, LEFT, doc.y + 2);
  if (s.account.email) doc.text(s.account.email, LEFT, doc.y + 2);

  // Amount due box
  doc.rect(350, top - 4, RIGHT - 350, 52).lineWidth(1).strokeColor('#000').stroke();
  doc.font('Helvetica').fontSize(9).fillColor('#333').text('Amount due', 360, top + 2);
  doc.font('Helvetica-Bold').fontSize(16).fillColor('#000').text(formatMoney(s.amountDueCents), 360, top + 14, { width: RIGHT - 370, align: 'right' });
  doc.font('Helvetica').fontSize(8).fillColor('#333').text(s.dueDate ? `Oldest unpaid charge due ${formatDate(s.dueDate)}` : 'Nothing past due', 360, top + 34, { width: RIGHT - 370, align: 'right' });
  doc.y = Math.max(doc.y, top + 56) + 14;

  // Activity: balance forward, then each entry with the running balance.
  doc.font('Helvetica-Bold').fontSize(11).fillColor('#000').text('Account activity', LEFT, doc.y);
  let y = doc.y + 6;
  const cols = { date: LEFT, desc: 120, amount: 400, balance: 480 };
  const head = () => {
    doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#333');
    doc.text('Date', cols.date, y);
    doc.text('Description', cols.desc, y);
    doc.text('Amount', cols.amount, y, { width: 70, align: 'right' });
    doc.text('Balance', cols.balance, y, { width: RIGHT - cols.balance, align: 'right' });
    y += 12;
    rule(doc, y - 2);
  };
  head();
  const row = (date: string, desc: string, amount: string, balance: string, bold = false) => {
    if (y > BOTTOM) {
      doc.addPage();
      y = 50;
      head();
    }
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5).fillColor('#000');
    doc.text(date, cols.date, y, { width: 68 });
    doc.text(desc, cols.desc, y, { width: 270, height: 11, ellipsis: true, lineBreak: false });
    doc.text(amount, cols.amount, y, { width: 70, align: 'right' });
    doc.text(balance, cols.balance, y, { width: RIGHT - cols.balance, align: 'right' });
    y += 12;
  };
  row(formatDate(s.periodStart), 'Balance forward', '', formatMoney(s.openingCents), true);
  for (const a of s.activity) row(formatDate(a.date), a.description, formatMoney(a.amountCents), formatMoney(a.balanceCents));
  rule(doc, y);
  y += 4;
  row(formatDate(s.statementDate), 'Balance on this statement', '', formatMoney(s.closingCents), true);

  // Aging
  y += 14;
  if (y > BOTTOM - 50) {
    doc.addPage();
    y = 50;
  }
  doc.font('Helvetica-Bold').fontSize(11).fillColor('#000').text('Aging of unpaid charges', LEFT, y);
  y = doc.y + 6;
  const buckets: [string, number][] = [
    ['Current', s.aging.current],
    ['1–30 days', s.aging.d1_30],
    ['31–60 days', s.aging.d31_60],
    ['61–90 days', s.aging.d61_90],
    ['Over 90 days', s.aging.over90],
  ];
  if (s.otherCents !== 0) buckets.push(['Credits / other', s.otherCents]);
  const w = (RIGHT - LEFT) / buckets.length;
  buckets.forEach(([label, cents], i) => {
    doc.font('Helvetica').fontSize(8.5).fillColor('#333').text(label, LEFT + i * w, y, { width: w - 4, align: 'right' });
    doc.font('Helvetica-Bold').fontSize(9.5).fillColor('#000').text(formatMoney(cents), LEFT + i * w, y + 12, { width: w - 4, align: 'right' });
  });
  y += 36;
  doc.font('Helvetica').fontSize(8.5).fillColor('#333').text(
    `Please quote ${s.payByReference} with your payment. Questions? Contact ${s.office.name}${s.office.contact ? `, ${s.office.contact.replace(/\s*\n\s*/g, ', ')}` : ''}.`,
    LEFT,
    y,
    { width: RIGHT - LEFT },
  );
}

/** One statement as a PDF (the email attachment, the download). */
export async function renderStatementPdf(s: StatementSnapshot): Promise<Buffer> {
  const doc = newDoc(await loadPdfKit(), s.statementDate, `Statement ${s.account.number} ${s.statementDate}`);
  const done = collect(doc);
  drawStatement(doc, s);
  doc.end();
  return done;
}

/** The printed letters of a batch, each followed by its statement, in one PDF for mailing. */
export async function renderLettersPdf(title: string, createdAt: string, letters: { body: string; levelName: string; snapshot: StatementSnapshot }[]): Promise<Buffer> {
  const doc = newDoc(await loadPdfKit(), createdAt, title);
  const done = collect(doc);
  letters.forEach((l, i) => {
    if (i > 0) doc.addPage();
    const s = l.snapshot;
    header(doc, s, l.levelName.toUpperCase());
    // The address window: name, the payer's postal address (Edit Payer), then the account.
    doc.font('Helvetica-Bold').fontSize(11).fillColor('#000').text(s.account.name, LEFT, 150);
    if (s.account.address) doc.font('Helvetica').fontSize(10.5).text(s.account.address, LEFT, doc.y + 2, { width: 260 });
    doc.font('Helvetica').fontSize(9).text(`Account ${s.account.number}`, LEFT, doc.y + 2);
    doc.font('Helvetica').fontSize(10.5).fillColor('#000').text(l.body, LEFT, 230, { width: RIGHT - LEFT, lineGap: 3 });
    doc.addPage();
    drawStatement(doc, s);
  });
  if (letters.length === 0) doc.font('Helvetica').fontSize(12).text('No letters.');
  doc.end();
  return done;
}
