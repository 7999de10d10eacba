import type { Kysely } from 'kysely';
import type { UploadResultDTO, UploadSummaryDTO } from '../../shared/contract/imports';
import { importsContract } from '../../shared/contract/imports';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { assertMay, fileRule, uploadableKinds } from '../settings/role-rules';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';

function summarySelect(db: Kysely<Database>) {
  return db
    .selectFrom('uploads')
    .leftJoin('divisions', 'divisions.id', 'uploads.division_id')
    .leftJoin('users', 'users.id', 'uploads.uploaded_by')
    .selectAll('uploads')
    .select(['divisions.name as division_name', 'users.display_name as uploaded_by_name']);
}
type Row = Awaited<ReturnType<ReturnType<typeof summarySelect>['execute']>>[number];

/** `parsed`: the row's result_json already parsed (it is megabytes for a 100k-row file: parse it once). */
function toSummary(r: Row, parsed?: unknown): UploadSummaryDTO {
  const extra = (parsed ?? JSON.parse(r.result_json)) as { notInFile?: number; accountsUnchanged?: number };
  return {
    id: r.id,
    fileName: r.file_name,
    kind: r.kind,
    sha256: r.sha256,
    divisionName: r.division_name,
    uploadedBy: r.uploaded_by_name ?? r.uploaded_by,
    uploadedAt: r.uploaded_at,
    rowsRead: r.rows_read,
    accountsUpdated: r.accounts_updated,
    accountsCreated: r.accounts_created,
    accountsUnchanged: extra.accountsUnchanged ?? 0,
    invoicesCreated: r.invoices_created,
    invoicesReplaced: r.invoices_replaced,
    warnings: r.warnings,
    errors: r.errors,
    notInFile: extra.notInFile ?? 0,
  };
}

export async function loadUpload(db: Kysely<Database>, uploadId: string): Promise<UploadResultDTO> {
  const r = await summarySelect(db).where('uploads.id', '=', uploadId).executeTakeFirst();
  if (!r) fail('NOT_FOUND', 'That upload does not exist.', { field: 'uploadId' });
  const detail = JSON.parse(r.result_json) as Pick<UploadResultDTO, 'changes' | 'issues' | 'notes'> & Partial<Pick<UploadResultDTO, 'identityChanges' | 'otherDivision' | 'decisions'>>;
  return {
    ...toSummary(r, detail),
    changes: detail.changes,
    issues: detail.issues,
    notes: detail.notes,
    identityChanges: detail.identityChanges ?? [],
    otherDivision: detail.otherDivision ?? [],
    decisions: detail.decisions ?? {},
    duplicateOf: null,
  };
}

/** How a file's text was read, as stored with its upload: part of what makes an upload a repeat. */
export const readKey = (r: { decimalComma: boolean; dayFirst: boolean } | undefined): string | null =>
  r ? `${r.decimalComma ? 'comma' : 'point'}/${r.dayFirst ? 'dmy' : 'mdy'}` : null;

/**
 * The earlier upload of the same file (SHA-256 of its bytes) read the same way (decimal comma,
 * day-first) into the same division, if any ("already uploaded on … by …"). The same bytes read
 * another way are another upload. Uploads from before the reading was recorded match any reading.
 */
export async function findUploadBySha(db: Kysely<Database>, sha256: string, kind: string, divisionId: string | null, readAs?: string | null) {
  let q = summarySelect(db).where('uploads.sha256', '=', sha256).where('uploads.kind', '=', kind as 'balance');
  q = divisionId ? q.where('uploads.division_id', '=', divisionId) : q.where('uploads.division_id', 'is', null);
  if (readAs) q = q.where((eb) => eb.or([eb('uploads.read_as', '=', readAs), eb('uploads.read_as', 'is', null)]));
  const r = await q.orderBy('uploads.uploaded_at').limit(1).executeTakeFirst();
  return r ? { uploadId: r.id, at: r.uploaded_at, by: r.uploaded_by_name ?? r.uploaded_by } : null;
}

export const listUploads = defineQuery({
  name: 'imports.list',
  roles: ANY_ROLE,
  input: importsContract['imports.list'].input,
  // The uploads of the kinds this role may upload (Settings), nothing else.
  run: async ({ db, actor }, i) => {
    const kinds = await uploadableKinds(db, actor.role);
    if (kinds.length === 0) return [];
    return (await summarySelect(db).where('uploads.kind', 'in', kinds).orderBy('uploads.uploaded_at', 'desc').limit(i.limit ?? 100).execute()).map((r) => toSummary(r));
  },
});

export const getUpload = defineQuery({
  name: 'imports.get',
  roles: ANY_ROLE,
  input: importsContract['imports.get'].input,
  run: async ({ db, actor }, i) => {
    const u = await loadUpload(db, i.uploadId);
    await assertMay(db, actor.role, fileRule(u.kind));
    return u;
  },
});

