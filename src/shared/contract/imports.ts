import { z } from 'zod';
import { channel } from './define';
import { id } from './fields';

export const ImportKinds = ['balance', 'bill'] as const;
export type ImportKind = (typeof ImportKinds)[number];

export interface ImportIssueDTO {
  row: number;
  column?: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface ImportChangeDTO {
  row: number;
  accountNumber: string;
  name: string;
  division: string;
  action: 'update' | 'create' | 'unchanged' | 'invoice-new' | 'invoice-replace' | 'invoice-unchanged';
  oldCents: number;
  newCents: number;
  invoiceNumber?: string;
}

/** A name, email or portal user ID the file would change on an account that already exists. */
export interface IdentityChangeDTO {
  row: number;
  accountNumber: string;
  division: string;
  field: 'name' | 'email' | 'userId';
  oldValue: string | null;
  newValue: string;
}

/** A row whose account number is not in its division but exists in another one. */
export interface OtherDivisionDTO {
  row: number;
  accountNumber: string;
  division: string;
  /** Names of the divisions where the number already exists. */
  existsIn: string[];
}

/**
 * The admin's answers to what a file would do to who a payer is. Missing answers for questions the
 * file raises make the apply command refuse; the preview lists the questions.
 */
export const importDecisions = z
  .object({
    /** Changed names, emails and user IDs on existing accounts: write them, or keep what the ledger has. */
    identity: z.enum(['apply', 'keep']).optional(),
    /** Account numbers that exist in another division: a separate account in this division, or skip the row. */
    otherDivision: z.enum(['separate', 'skip']).optional(),
    /** A Division column that disagrees with the selected division: error rows (default), or the file's column wins. */
    divisionColumn: z.enum(['selected', 'file']).optional(),
  })
  .strict();
export type ImportDecisions = z.infer<typeof importDecisions>;
export type ImportQuestion = 'identity' | 'otherDivision';

/** How text cells are read; a choice left out follows what the file suggests. */
export const importReadAs = z.object({ decimalComma: z.boolean().optional(), dayFirst: z.boolean().optional() }).strict();
export interface ReadAsDTO {
  decimalComma: boolean;
  dayFirst: boolean;
}

export interface ImportSummaryDTO {
  rowsRead: number;
  accountsUpdated: number;
  accountsCreated: number;
  accountsUnchanged: number;
  invoicesCreated: number;
  invoicesReplaced: number;
  warnings: number;
  errors: number;
  notInFile: number;
}

export interface ImportPreviewDTO extends ImportSummaryDTO {
  previewId: string;
  sha256: string;
  fileName: string;
  kind: ImportKind;
  format: string;
  divisionId: string | null;
  changes: ImportChangeDTO[];
  issues: ImportIssueDTO[];
  notes: string[];
  alreadyUploaded: { uploadId: string; at: string; by: string } | null;
  identityChanges: IdentityChangeDTO[];
  otherDivision: OtherDivisionDTO[];
  /** Rows whose Division column disagrees with the selected division. */
  divisionMismatches: number;
  /** Questions the admin must answer before this file can be applied. */
  questions: ImportQuestion[];
  decisions: ImportDecisions;
  /** The reading used, what the file suggested, and how the first rows' money and dates were read. */
  readAs: ReadAsDTO;
  suggested: ReadAsDTO;
  sample: { row: number; column: string; written: string; read: string }[];
}

export interface UploadSummaryDTO extends ImportSummaryDTO {
  id: string;
  fileName: string;
  kind: ImportKind;
  sha256: string;
  divisionName: string | null;
  uploadedBy: string;
  uploadedAt: string;
}

export interface UploadResultDTO extends UploadSummaryDTO {
  changes: ImportChangeDTO[];
  issues: ImportIssueDTO[];
  notes: string[];
  /** Identity differences the file had, and whether they were applied (decisions.identity). */
  identityChanges: IdentityChangeDTO[];
  otherDivision: OtherDivisionDTO[];
  decisions: ImportDecisions;
  /** Set when this was the same file uploaded again: nothing was changed. */
  duplicateOf: string | null;
}

export interface FileDownloadDTO {
  fileName: string;
  mime: string;
  contentBase64: string;
}

/** 50 MB of file is about 67 MB of base64. */
const MAX_BASE64 = 70 * 1024 * 1024;

export const importsContract = {
  /** Reads and checks a file and shows what it would change; writes nothing to the ledger. */
  'imports.preview': channel<ImportPreviewDTO>()(
    z
      .object({
        previewId: id,
        decisions: importDecisions.optional(),
        readAs: importReadAs.optional(),
        fileName: z.string().trim().min(1, 'The file has no name.').max(255, 'The file name is too long.'),
        kind: z.enum(ImportKinds, { message: 'Choose the kind of file: balance or bill.' }),
        divisionId: id.nullable(),
        contentBase64: z.string().max(MAX_BASE64, 'The file is larger than 50 MB.'),
      })
      .strict(),
  ),
  'imports.cancel': channel<null>()(z.object({ previewId: id }).strict()),
  /** Re-plans a preview with the admin's decisions (no re-upload, no re-parse). */
  'imports.decide': channel<ImportPreviewDTO>()(z.object({ previewId: id, decisions: importDecisions }).strict()),
  'imports.apply': channel<UploadResultDTO>()(z.object({ previewId: id, decisions: importDecisions.optional() }).strict()),
  'imports.list': channel<UploadSummaryDTO[]>()(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict()),
  'imports.get': channel<UploadResultDTO>()(z.object({ uploadId: id }).strict()),
  'imports.export': channel<FileDownloadDTO>()(z.object({ uploadId: id, format: z.enum(['csv', 'xlsx']) }).strict()),
  'imports.template': channel<FileDownloadDTO>()(z.object({ kind: z.enum(ImportKinds), format: z.enum(['csv', 'xlsx']) }).strict()),
} as const;
