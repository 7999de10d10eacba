import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import type { FileDownloadDTO, ImportDecisions, ImportKind, ImportPreviewDTO, ReadAsDTO, UploadResultDTO } from '../../shared/contract/imports';
import { err, ok, type Result } from '../../shared/result';
import { toResult } from '../../core/commands/executor';
import { fileRule, requireRoleRule } from '../../core/settings/role-rules';
import type { Actor } from '../../core/commands/types';
import type { LedgerCore } from '../../core/ledger-core';
import type { ApplyRowsResult } from '../../core/imports/apply-rows';
import type { ApplyRowsInput, BalanceRowInput, BillRowInput } from '../../core/imports/command-input';
import { planBalanceImport, planBillImport } from '../../core/imports/plan';
import { findUploadBySha, loadUpload, readKey } from '../../core/imports/uploads';
import { DEFAULT_LIMITS, parseImportFileIsolated, type ParseLimits, type ParseOutcome } from '../../core/imports/parse';
import { escapeCsvCell } from '../../core/imports/parse/csv-escape';
import { FileStore } from './file-store';

interface PendingPreview {
  userId: string;
  controller: AbortController;
  ready?: Omit<ApplyRowsInput, 'uploadId'>;
  reading?: { readAs: ReadAsDTO; suggested: ReadAsDTO; sample: ImportPreviewDTO['sample'] };
}

export interface PreviewInput {
  previewId: string;
  fileName: string;
  kind: ImportKind;
  divisionId: string | null;
  bytes: Uint8Array;
  decisions?: ImportDecisions;
  readAs?: Partial<ReadAsDTO>;
  /**
   * These bytes already being read by parseImportFileIsolated with this name, kind, readAs and this
   * service's limits (the command line starts it before the ledger is open). Its outcome is used
   * exactly as the service's own reading would be, at the same step.
   */
  reading?: Promise<ParseOutcome>;
}

export interface ImportServiceOptions {
  dataDir: string;
  templatesDir: string;
  limits?: Partial<ParseLimits>;
}

/**
 * File Transfers in main: keeps the file by its hash, parses it in a worker thread (limits, progress,
 * cancel), works out the preview with core's planner, and applies it through the core command.
 * The same steps serve the page and the command-line import.
 */
export class ImportService {
  private readonly previews = new Map<string, PendingPreview>();
  readonly files: FileStore;

  constructor(
    private readonly core: LedgerCore,
    private readonly opts: ImportServiceOptions,
  ) {
    this.files = new FileStore(join(opts.dataDir, 'files'), Math.max(64 * 1024 * 1024, opts.limits?.maxFileBytes ?? 0));
  }

  async preview(actor: Actor | null, i: PreviewInput, onProgress?: (rows: number) => void): Promise<Result<ImportPreviewDTO>> {
    const read = await this.read(actor, i, onProgress);
    if (!read.ok) return read;
    try {
      return ok(await this.describe(i.previewId, read.value));
    } catch (e) {
      this.previews.delete(i.previewId);
      return toResult(e);
    }
  }

  /**
   * The preview's checks and reading of the file, kept ready to apply under i.previewId, without
   * planning it against the ledger. For a caller that applies at once and shows no preview (the
   * command line without --dry-run): the command plans the file inside its transaction anyway.
   */
  async read(actor: Actor | null, i: PreviewInput, onProgress?: (rows: number) => void): Promise<Result<Omit<ApplyRowsInput, 'uploadId'>>> {
    try {
      const who = await requireRoleRule(this.core.db, this.core.clock, actor, fileRule(i.kind), `imports.preview (${i.kind} file)`);
      if (i.divisionId) {
        const d = await this.core.db.selectFrom('divisions').select('id').where('id', '=', i.divisionId).executeTakeFirst();
        if (!d) return err('NOT_FOUND', 'That division does not exist.', { field: 'divisionId' });
      }
      const limits = { ...DEFAULT_LIMITS, ...this.opts.limits };
      if (i.bytes.length > limits.maxFileBytes) {
        return err('LIMIT', `The file is ${(i.bytes.length / 1e6).toFixed(1)} MB; files up to ${(limits.maxFileBytes / 1e6).toFixed(0)} MB can be uploaded.`, { field: 'file' });
      }
      const controller = new AbortController();
      this.previews.set(i.previewId, { userId: who.userId, controller });
      const sha256 = this.files.put(i.bytes);
      const parsed = await (i.reading ?? parseImportFileIsolated(i.bytes, i.fileName, i.kind, { limits, onProgress, signal: controller.signal, ...(i.readAs ? { readAs: i.readAs } : {}) }));
      if (controller.signal.aborted) return err('CONFLICT', 'The upload was cancelled.');
      if (!parsed.ok) {
        this.previews.delete(i.previewId);
        return err(parsed.code, parsed.message, { field: 'file' });
      }
      const rows = parsed.rows as unknown as BalanceRowInput[] | BillRowInput[];
      const parseIssues = parsed.issues.map((x) => ({ row: x.row, severity: x.severity, message: x.message, ...(x.column ? { column: x.column } : {}) }));
      const pending = this.previews.get(i.previewId)!;
      pending.ready = { sha256, fileName: i.fileName, kind: i.kind, divisionId: i.divisionId, format: parsed.format, rowsRead: parsed.rowsRead, rows, parseIssues, notes: parsed.notes, decisions: i.decisions ?? {}, readAs: parsed.readAs };
      pending.reading = { readAs: parsed.readAs, suggested: parsed.suggested, sample: parsed.sample };
      return ok(pending.ready);
    } catch (e) {
      this.previews.delete(i.previewId);
      return toResult(e);
    }
  }

  /** What the file would do, planned against the ledger as it is now with the decisions made so far. */
  private async describe(previewId: string, ready: Omit<ApplyRowsInput, 'uploadId'>): Promise<ImportPreviewDTO> {
    const reading = this.previews.get(previewId)?.reading ?? { readAs: { decimalComma: false, dayFirst: false }, suggested: { decimalComma: false, dayFirst: false }, sample: [] };
    const decisions = ready.decisions ?? {};
    const plan =
      ready.kind === 'balance'
        ? await planBalanceImport(this.core.db, ready.rows as BalanceRowInput[], ready.divisionId, decisions)
        : await planBillImport(this.core.db, ready.rows as BillRowInput[], ready.divisionId, decisions);
    const issues = [...ready.parseIssues, ...plan.issues].sort((a, b) => a.row - b.row);
    return {
      previewId,
      sha256: ready.sha256,
      fileName: ready.fileName,
      kind: ready.kind,
      format: ready.format,
      divisionId: ready.divisionId,
      rowsRead: ready.rowsRead,
      accountsUpdated: plan.balanceUpdates.length + (ready.kind === 'bill' ? new Set(plan.invoices.filter((x) => x.accountId).map((x) => x.accountId)).size : 0),
      accountsCreated: plan.accountsToCreate.length,
      accountsUnchanged: plan.changes.filter((c) => c.action === 'unchanged' || c.action === 'invoice-unchanged').length,
      invoicesCreated: plan.invoices.filter((x) => !x.replacesInvoiceId).length,
      invoicesReplaced: plan.invoices.filter((x) => x.replacesInvoiceId).length,
      warnings: issues.filter((x) => x.severity === 'warning').length,
      errors: issues.filter((x) => x.severity === 'error').length,
      notInFile: plan.notInFile,
      changes: plan.changes,
      issues,
      notes: [...ready.notes, ...plan.notes],
      alreadyUploaded: await findUploadBySha(this.core.db, ready.sha256, ready.kind, ready.divisionId, readKey(ready.readAs)),
      identityChanges: plan.identityChanges,
      otherDivision: plan.otherDivision,
      divisionMismatches: plan.divisionMismatches,
      questions: plan.questions,
      decisions,
      ...reading,
    };
  }

  /** Records the admin's decisions on a preview and shows the file again as it would now apply. */
  async decide(actor: Actor | null, previewId: string, decisions: ImportDecisions): Promise<Result<ImportPreviewDTO>> {
    const p = this.previews.get(previewId);
    if (!p?.ready || !actor || p.userId !== actor.userId) return err('NOT_FOUND', 'That preview is no longer available; upload the file again.', { field: 'previewId' });
    try {
      p.ready = { ...p.ready, decisions: { ...p.ready.decisions, ...decisions } };
      return ok(await this.describe(previewId, p.ready));
    } catch (e) {
      return toResult(e);
    }
  }

  cancel(actor: Actor | null, previewId: string): Result<null> {
    const p = this.previews.get(previewId);
    if (p && actor && p.userId === actor.userId) {
      p.controller.abort();
      this.previews.delete(previewId);
    }
    return ok(null);
  }

  /** Applies a preview the same user made. The command re-plans inside its transaction. */
  async apply(actor: Actor | null, previewId: string, decisions?: ImportDecisions): Promise<Result<UploadResultDTO>> {
    const p = this.previews.get(previewId);
    if (!p?.ready || !actor || p.userId !== actor.userId) return err('NOT_FOUND', 'That preview is no longer available; upload the file again.', { field: 'previewId' });
    const input = decisions ? { ...p.ready, decisions: { ...p.ready.decisions, ...decisions } } : p.ready;
    const r = await this.core.executor.execute<ApplyRowsResult>(actor, 'imports.applyRows', input);
    // A refusal for a missing decision keeps the preview, so the admin can answer and apply again.
    if (!r.ok) return r;
    this.previews.delete(previewId);
    return ok({ ...(await loadUpload(this.core.db, r.value.uploadId)), duplicateOf: r.value.duplicateOf });
  }

  async export(uploadId: string, format: 'csv' | 'xlsx'): Promise<Result<FileDownloadDTO>> {
    try {
      const u = await loadUpload(this.core.db, uploadId);
      const head = ['Section', 'Row', 'Account Number', 'Name', 'Division', 'Invoice Number', 'Change', 'Old Balance', 'New Balance', 'Column', 'Severity', 'Reason'];
      const money = (c: number) => (c / 100).toFixed(2);
      const rows: (string | number)[][] = [
        ...u.changes.map((c) => ['Change', c.row, c.accountNumber, c.name, c.division, c.invoiceNumber ?? '', c.action, money(c.oldCents), money(c.newCents), '', '', '']),
        ...u.issues.map((x) => ['Issue', x.row, '', '', '', '', '', '', '', x.column ?? '', x.severity, x.message]),
      ];
      const base = u.fileName.replace(/\.[^.]+$/, '');
      if (format === 'csv') {
        const text = [head, ...rows].map((r) => r.map((v) => escapeCsvCell(String(v))).join(',')).join('\r\n');
        return ok({ fileName: `${base}-result.csv`, mime: 'text/csv', contentBase64: Buffer.from('\ufeff' + text, 'utf8').toString('base64') });
      }
      // Cells are written as text (type 's'), never formulas, so nothing from a file can execute.
      const ws = XLSX.utils.aoa_to_sheet([head, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? v : String(v))))]);
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, 'Upload result');
      const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
      return ok({ fileName: `${base}-result.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: buf.toString('base64') });
    } catch (e) {
      return toResult(e);
    }
  }

  template(kind: ImportKind, format: 'csv' | 'xlsx'): Result<FileDownloadDTO> {
    const csv = readFileSync(join(this.opts.templatesDir, `${kind}-template.csv`), 'utf8');
    if (format === 'csv') return ok({ fileName: `${kind}-template.csv`, mime: 'text/csv', contentBase64: Buffer.from(csv, 'utf8').toString('base64') });
    const aoa = csv.trim().split(/\r?\n/).map((l) => l.split(','));
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), kind === 'balance' ? 'Balances' : 'Bills');
    const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    return ok({ fileName: `${kind}-template.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: buf.toString('base64') });
  }
}
