/**
 * parseImportFile: bytes in, typed rows and problems out, in this process and synchronously. The app
 * calls parseImportFileIsolated (worker.ts runs this there); benchmarks and tests call it directly.
 * No database, no file system: a pure function of the bytes, the name, the kind and the limits.
 */
import { isBlankRow, type RowSource, type SheetRow } from './cells';
import { describeMissing, findHeaderRow, type HeaderMatch } from './columns';
import { CsvReader, rankDelimiters } from './csv-reader';
import { decodeText } from './decode-text';
import { detectFormat } from './detect-format';
import { buildRows, clip, HeaderOnly, type RowSink } from './build-rows';
import { HEADER_SCAN_ROWS, openWorkbook } from './workbook-reader';
import { openXlsxStreamed, StreamedSheet } from './xlsx-stream';
import { FileRefused, fileTooBigMessage, overLimit, refuse, resolveLimits, type ParseKind, type ParseLimits, type ParseOutcome, type ReadAs } from './types';

export function parseImportFile<K extends ParseKind>(
  bytes: Uint8Array,
  fileName: string,
  kind: K,
  limits?: Partial<ParseLimits>,
  onProgress?: (rows: number) => void,
  readAs?: Partial<ReadAs>,
  /** When given, the rows go here in chunks as they are read and the outcome's `rows` is empty. */
  onRows?: RowSink,
): ParseOutcome<K> {
  const lim = resolveLimits(limits);
  try {
    if (bytes.length === 0) refuse('The file is empty.');
    if (bytes.length > lim.maxFileBytes) overLimit(fileTooBigMessage(bytes.length, lim.maxFileBytes));
    const { format, sniffed } = detectFormat(bytes, fileName);
    const notes: string[] = [];
    const sources = openSources(bytes, format, sniffed, lim, notes);
    const { header, firstMiss } = findHeader(sources, kind);
    if (!header) {
      if (firstMiss instanceof FileRefused) throw firstMiss;
      if (!firstMiss || firstMiss.rows === 0 || !firstMiss.best) return refuse('The file is empty.');
      const found = firstMiss.best.headers.filter((h) => h !== '');
      const list = found.slice(0, 20).map((h) => `"${clip(h, 40)}"`).join(', ') + (found.length > 20 ? `, and ${found.length - 20} more` : '');
      const missing = firstMiss.best.missing;
      return refuse(
        `${missing.length === 1 ? 'A required column is missing' : 'Required columns are missing'}: ${describeMissing(missing)}. ` +
          `The columns found are: ${list}. Check that the file has a row of column headings near the top.`,
      );
    }

    if (header.above > 0) notes.push(`The column headings are on row ${header.row}; the ${header.above === 1 ? 'line' : `${header.above} lines`} above ${header.above === 1 ? 'it was' : 'them were'} skipped.`);
    if (header.match.ignored.length) {
      const shown = header.match.ignored.slice(0, 10).map((h) => `"${clip(h, 40)}"`).join(', ');
      notes.push(`${header.match.ignored.length === 1 ? 'This column is' : 'These columns are'} not used: ${shown}${header.match.ignored.length > 10 ? ', ...' : ''}.`);
    }
    let built;
    try {
      built = buildRows(kind, { row: header.row, match: header.match }, header.pending, header.source, lim, onProgress, readAs, onRows);
    } catch (e) {
      if (e instanceof HeaderOnly) return refuse('The file has column headings but no rows of data.');
      // A sheet far past the row limit is refused as a sheet, as the whole-workbook reader does;
      // reading on stops at the cap, so this stays cheap.
      if (e instanceof FileRefused && e.code === 'LIMIT' && header.source instanceof StreamedSheet && /^The file has more than/.test(e.message)) header.source.refuseIfPastCap();
      throw e;
    }
    return {
      ok: true,
      kind,
      format,
      rowsRead: built.rowsRead,
      rows: built.rows,
      issues: built.issues,
      headers: header.match.headers,
      notes: [...notes, ...built.notes].slice(0, 45),
      readAs: built.readAs,
      suggested: built.suggested,
      sample: built.sample,
    } as ParseOutcome<K>;
  } catch (e) {
    if (e instanceof FileRefused) return { ok: false, code: e.code, message: e.message };
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, code: 'INTERNAL', message: `The file could not be read because of an internal error (${clip(why, 200)}).` };
  }
}

/** The ways to read the file's rows, best guess first (a CSV's delimiters in turn; one for a workbook). */
function openSources(bytes: Uint8Array, format: ReturnType<typeof detectFormat>['format'], sniffed: ReturnType<typeof detectFormat>['sniffed'], lim: ParseLimits, notes: string[]): (() => RowSource)[] {
  if (format === 'csv') {
    const { text, encoding } = decodeText(bytes);
    if (text.trim() === '') refuse('The file is empty.');
    if (encoding === 'windows-1252') notes.push('The file is not UTF-8 text; it was read as Windows-1252 (Western European).');
    if (encoding === 'utf-16le' || encoding === 'utf-16be') notes.push('The file was read as UTF-16 ("Unicode text").');
    // Each delimiter in turn, best-looking first; the first under which a header row is found wins.
    return rankDelimiters(text).map((d) => () => new CsvReader(text, d, lim.maxCellChars));
  }
  if ((format === 'xlsx' || format === 'xlsm') && sniffed.kind === 'zip') {
    // One extra row beyond what may be used, so "more rows than allowed" is detectable.
    const wb = openXlsxStreamed(bytes, sniffed.entries, lim, lim.maxRows + HEADER_SCAN_ROWS + 2);
    notes.push(...wb.notes);
    return [() => wb.source];
  }
  const wb = openWorkbook(bytes, format, sniffed.kind === 'zip' ? sniffed.entries : null, lim);
  notes.push(...wb.notes);
  return [() => wb.source];
}

type FoundHeader = { row: number; match: HeaderMatch; pending: SheetRow[]; source: RowSource; above: number };

/** The first source under which a row of column headings is found near the top, or why the best guess found none. */
function findHeader(sources: (() => RowSource)[], kind: ParseKind): { header: FoundHeader | null; firstMiss: { best: HeaderMatch | null; rows: number } | FileRefused | null } {
  let header: FoundHeader | null = null;
  // Why the first (best-guess) reading found no headings: an error, or the closest row.
  let firstMiss: { best: HeaderMatch | null; rows: number } | FileRefused | null = null;
  for (let k = 0; k < sources.length && !header; k++) {
    try {
      const source = sources[k]!();
      const head: SheetRow[] = [];
      let nonBlank = 0;
      while (nonBlank < HEADER_SCAN_ROWS) {
        const r = source.next();
        if (!r) break;
        head.push(r);
        if (!isBlankRow(r.cells)) nonBlank++;
      }
      const candidates = head.filter((r) => !isBlankRow(r.cells));
      const search = findHeaderRow(candidates, kind);
      if (search.found) {
        const at = candidates[search.at]!;
        header = { row: at.row, match: search.match, pending: head.slice(head.indexOf(at) + 1), source, above: search.at };
      } else firstMiss ??= { best: search.best, rows: candidates.length };
    } catch (e) {
      // A wrong delimiter can split quotes or cells oddly: try the next one, and report the best
      // guess's problem only if no delimiter finds the headings.
      if (!(e instanceof FileRefused)) throw e;
      firstMiss ??= e;
    }
  }
  return { header, firstMiss };
}
