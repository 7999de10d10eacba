import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { newId } from '../../shared/ids';
import { formatMoney } from '../../shared/money';
import type { ImportDecisions, ImportPreviewDTO, UploadResultDTO } from '../../shared/contract/imports';
import type { LedgerCore } from '../../core/ledger-core';
import type { Actor } from '../../core/commands/types';
import { parseImportFileIsolated } from '../../core/imports/parse/isolated';
import { DEFAULT_LIMITS, fileTooBigMessage } from '../../core/imports/parse/types';
import type { ImportService, PreviewInput } from '../imports/import-service';
import type { CliCommand } from './index';

const USAGE =
  'usage: npm run cli -- import FILE --kind balance|bill --division NAME [--db PATH] [--user ADMIN] [--dry-run] [--json]\n' +
  '       [--identity apply|keep] [--other-division separate|skip] [--use-file-division]\n' +
  '  --identity: changed names, emails and user IDs on existing accounts are written (apply) or ignored (keep)\n' +
  '  --other-division: account numbers that exist in another division become separate accounts, or their rows are skipped\n' +
  "  --use-file-division: the file's Division column wins over --division (otherwise disagreeing rows are errors)";

/**
 * The nightly-upload command: the same preview and result the File Transfers page shows.
 * Exit status: 0 applied (with --dry-run: could be applied), 1 the file was refused, 2 usage errors.
 */
export const importCommand: CliCommand = async (argv, defaults) => {
  const args = readImportArgs(argv);
  if (typeof args === 'number') return args;
  const { file, kind, identity, otherDivision, values } = args;
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error();
    size = st.size;
  } catch {
    console.error(`No such file: ${file}`);
    return 2;
  }
  // Refused by its size before a byte is read (a 1 GB file is never loaded whole).
  if (size > DEFAULT_LIMITS.maxFileBytes) return refused({ code: 'LIMIT', message: fileTooBigMessage(size, DEFAULT_LIMITS.maxFileBytes) }, !!values.json);
  // The file is read now and parsed in its worker while this thread loads the ledger's code and opens
  // the ledger (about 0.2 s each at 10,000 rows, side by side instead of one after the other). The
  // preview uses the outcome at the step where it would have started the worker itself, so refusals
  // come in the same order; a file that cannot be read is reported there too, as before.
  let bytes: Buffer | Error;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    bytes = e instanceof Error ? e : new Error(String(e));
  }
  const early = new AbortController();
  const reading = bytes instanceof Error ? undefined : parseImportFileIsolated(bytes, basename(file), kind, { limits: DEFAULT_LIMITS, signal: early.signal });
  try {
    const [{ openDesktopCore }, { ImportService }] = await Promise.all([import('../../core/ledger-core'), import('../imports/import-service')]);
    const dbPath = (values.db as string | undefined) ?? defaults.db;
    const core = await openDesktopCore(dbPath);
    try {
      const who = await divisionAndAdmin(core, values.division as string | undefined, values.user as string | undefined);
      if (typeof who === 'number') return who;
      const { divisionId, actor } = who;
      if (bytes instanceof Error) throw bytes;
      const service = new ImportService(core, { dataDir: join(dbPath, '..'), templatesDir: join(process.cwd(), 'resources', 'templates') });
      const previewId = newId();
      const decisions: ImportDecisions = {
        ...(identity ? { identity } : {}),
        ...(otherDivision ? { otherDivision } : {}),
        ...(values['use-file-division'] ? { divisionColumn: 'file' as const } : {}),
      };
      const refusedOrDry = await previewStep(service, actor, { previewId, fileName: basename(file), kind, divisionId, bytes, decisions, ...(reading ? { reading } : {}) }, !!values.json, !!values['dry-run']);
      if (refusedOrDry !== null) return refusedOrDry;
      const applied = await service.apply(actor, previewId);
      if (!applied.ok) return refused(applied.error, !!values.json);
      print(applied.value, !!values.json, false);
      return 0;
    } finally {
      await core.close();
    }
  } finally {
    // Ended on every way out (a usage error, a refusal before the preview): a live worker keeps the process up.
    early.abort();
  }
};

type ImportArgs = {
  file: string;
  kind: 'balance' | 'bill';
  identity?: 'apply' | 'keep';
  otherDivision?: 'separate' | 'skip';
  values: Record<string, string | boolean | undefined>;
};

/** The command line read and checked; a number is the exit status when it cannot be (usage, --help). */
function readImportArgs(argv: string[]): ImportArgs | number {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        kind: { type: 'string' },
        division: { type: 'string' },
        user: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        identity: { type: 'string' },
        'other-division': { type: 'string' },
        'use-file-division': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = positionals[0];
  const kind = values.kind;
  const identity = values.identity;
  const otherDivision = values['other-division'];
  if (
    !file ||
    (kind !== 'balance' && kind !== 'bill') ||
    (identity !== undefined && identity !== 'apply' && identity !== 'keep') ||
    (otherDivision !== undefined && otherDivision !== 'separate' && otherDivision !== 'skip')
  ) {
    console.error(USAGE);
    return 2;
  }
  return { file, kind, values, ...(identity ? { identity } : {}), ...(otherDivision ? { otherDivision } : {}) };
}

/** The division named on the command line (null: none) and the administrator the import runs as; a number is a usage error's exit status. */
async function divisionAndAdmin(core: LedgerCore, division: string | undefined, user: string | undefined): Promise<{ divisionId: string | null; actor: Actor } | number> {
  let divisionId: string | null = null;
  if (division) {
    const d = await core.db.selectFrom('divisions').select(['id']).where('name', '=', division).executeTakeFirst();
    if (!d) {
      const names = (await core.db.selectFrom('divisions').select('name').orderBy('name').execute()).map((x) => x.name);
      console.error(`Unknown division "${division}". Divisions: ${names.join(', ') || '(none)'}`);
      return 2;
    }
    divisionId = d.id;
  }
  let q = core.db.selectFrom('users').select(['id', 'role', 'username']).where('active', '=', 1).where('role', '=', 'admin');
  if (user) q = q.where('username', '=', user.toLowerCase());
  const admin = await q.orderBy('created_at').limit(1).executeTakeFirst();
  if (!admin) {
    console.error(user ? `No active administrator named "${user}".` : 'This ledger has no active administrator.');
    return 2;
  }
  return { divisionId, actor: { userId: admin.id, role: admin.role } };
}

/**
 * Previews the file; answers an exit status when that is the end (refused, or a dry run printed),
 * null to go on and apply. Without --dry-run the preview is never shown, so the file is only read
 * and checked (service.read), not planned: the command plans it inside its transaction, and a second
 * plan of every row would be thrown away. Its own function so what the preview holds is garbage
 * before the apply: at 100,000 rows that is tens of megabytes of peak memory.
 */
async function previewStep(service: ImportService, actor: Actor, i: PreviewInput, json: boolean, dryRun: boolean): Promise<number | null> {
  if (!dryRun) {
    const read = await service.read(actor, i);
    return read.ok ? null : refused(read.error, json);
  }
  const preview = await service.preview(actor, i);
  if (!preview.ok) return refused(preview.error, json);
  service.cancel(actor, i.previewId);
  print(preview.value, json, true);
  return 0;
}

/** A refused file: printed as the JSON answer or as one line; exit status 1. */
function refused(error: { code: string; message: string }, json: boolean): number {
  if (json) console.log(JSON.stringify({ ok: false, error }));
  else console.error(`Refused: ${error.message}`);
  return 1;
}

function print(r: ImportPreviewDTO | UploadResultDTO, json: boolean, dryRun: boolean) {
  if (json) {
    console.log(JSON.stringify({ ok: true, dryRun, ...r }));
    return;
  }
  const dup = 'duplicateOf' in r && r.duplicateOf ? ` (already uploaded: nothing changed; upload ${r.duplicateOf})` : '';
  console.log(`${dryRun ? 'Dry run (nothing written)' : 'Applied'}: ${r.fileName}${dup}`);
  console.log(`  rows read ${r.rowsRead}, accounts updated ${r.accountsUpdated}, created ${r.accountsCreated}, unchanged ${r.accountsUnchanged}, not in file ${r.notInFile}`);
  if (r.invoicesCreated || r.invoicesReplaced) console.log(`  invoices new ${r.invoicesCreated}, replaced ${r.invoicesReplaced}`);
  console.log(`  warnings ${r.warnings}, errors ${r.errors}`);
  for (const x of r.issues.slice(0, 50)) console.log(`  ${x.severity.toUpperCase()} row ${x.row || '-'}${x.column ? ` [${x.column}]` : ''}: ${x.message}`);
  if (r.issues.length > 50) console.log(`  … and ${r.issues.length - 50} more`);
  const changed = r.changes.filter((c) => c.action === 'update' || c.action === 'create').slice(0, 20);
  for (const c of changed) console.log(`  ${c.action} ${c.accountNumber} ${c.name}: ${formatMoney(c.oldCents)} -> ${formatMoney(c.newCents)}`);
  for (const c of r.identityChanges.slice(0, 20)) console.log(`  identity ${c.accountNumber} ${c.field}: ${c.oldValue ?? '(none)'} -> ${c.newValue}`);
  for (const c of r.otherDivision.slice(0, 20)) console.log(`  other division ${c.accountNumber}: exists in ${c.existsIn.join(', ')}`);
  if ('questions' in r && r.questions.length) console.log(`  needs a decision: ${r.questions.map((q) => (q === 'identity' ? '--identity apply|keep' : '--other-division separate|skip')).join(', ')}`);
}
