/**
 * Decides what a file really is from its bytes, then holds that against its name: people rename
 * files, and a CSV named .xlsx (or a PDF named .csv) must be refused with words they can act on.
 */
import * as XLSX from 'xlsx';
import { readZipDirectory, type ZipEntry } from './zip-guard';
import { refuse, type FileFormat } from './types';

export type Sniffed = { kind: 'text' } | { kind: 'zip'; format: 'xlsx' | 'xlsb' | 'ods' | 'other'; entries: ZipEntry[] } | { kind: 'cfb'; format: 'xls' | 'encrypted' | 'other' };

const TEXT_EXTENSIONS = new Set(['csv', 'tsv', 'txt']);
const WORKBOOK_EXTENSIONS = new Set(['xlsx', 'xlsm', 'xlsb', 'xls', 'ods']);

/** Formats that are not spreadsheets but turn up in upload boxes, so the message can name them. */
const KNOWN_BINARIES: { magic: number[]; name: string }[] = [
  { magic: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { magic: [0x1f, 0x8b], name: 'a gzip archive' },
  { magic: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], name: 'a 7-Zip archive' },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], name: 'an RTF document' },
];

const startsWith = (b: Uint8Array, magic: number[]) => b.length >= magic.length && magic.every((m, i) => b[i] === m);

/** Binary data has NUL bytes or many control characters; text files have almost none. */
export function looksBinary(bytes: Uint8Array): boolean {
  // UTF-16 text starts with its byte-order mark and is full of NULs by design.
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return false;
  const n = Math.min(bytes.length, 65_536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) || b === 0x7f) control++;
  }
  return control > n * 0.005;
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const entries = readZipDirectory(bytes);
    const names = new Set(entries.map((e) => e.name));
    const format = names.has('xl/workbook.xml') ? 'xlsx' : names.has('xl/workbook.bin') ? 'xlsb' : names.has('content.xml') && names.has('mimetype') ? 'ods' : 'other';
    return { kind: 'zip', format, entries };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    let streams: string[] = [];
    try {
      streams = XLSX.CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' }).FileIndex.map((f: { name: string }) => f.name);
    } catch {
      return refuse('This file looks like an Excel .xls workbook but is damaged. Open it in your spreadsheet program and save it again.');
    }
    // A password-protected .xlsx is stored inside this older container.
    if (streams.includes('EncryptedPackage')) return { kind: 'cfb', format: 'encrypted' };
    if (streams.includes('Workbook') || streams.includes('Book')) return { kind: 'cfb', format: 'xls' };
    return { kind: 'cfb', format: 'other' };
  }
  return { kind: 'text' };
}

const DESCRIBE: Record<FileFormat, string> = {
  csv: 'a text (CSV) file',
  xlsx: 'an Excel workbook (.xlsx)',
  xlsm: 'a macro-enabled Excel workbook (.xlsm)',
  xlsb: 'a binary Excel workbook (.xlsb)',
  xls: 'an older Excel workbook (.xls)',
  ods: 'an OpenDocument spreadsheet (.ods)',
};

export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * Returns the format to read the file as, or refuses it. A file with no extension is read as
 * whatever its bytes are.
 */
export function detectFormat(bytes: Uint8Array, fileName: string): { format: FileFormat; sniffed: Sniffed } {
  const ext = extensionOf(fileName);
  if (ext && !TEXT_EXTENSIONS.has(ext) && !WORKBOOK_EXTENSIONS.has(ext)) {
    refuse(`Files of type .${ext.slice(0, 10)} can't be imported. Upload a CSV file, an Excel workbook (.xlsx, .xlsm, .xlsb or .xls) or an OpenDocument spreadsheet (.ods).`);
  }
  const named = ext ? `This file is named .${ext}` : 'This file';
  const sniffed = sniff(bytes);
  let actual: FileFormat;
  if (sniffed.kind === 'zip') {
    if (sniffed.format === 'other') return refuse(`${named} but is a zip archive that holds no spreadsheet.`);
    actual = sniffed.format;
  } else if (sniffed.kind === 'cfb') {
    if (sniffed.format === 'encrypted') return refuse('This workbook is protected with a password. Remove the password in your spreadsheet program and upload it again.');
    if (sniffed.format === 'other') return refuse(`${named} but is an Office document that holds no spreadsheet (perhaps a Word document).`);
    actual = 'xls';
  } else {
    const known = KNOWN_BINARIES.find((k) => startsWith(bytes, k.magic));
    if (known) return refuse(`${named} but is ${known.name}, not a CSV file or spreadsheet.`);
    if (looksBinary(bytes)) return refuse(`${named} but is not a CSV file or spreadsheet: it contains binary data that is not text.`);
    actual = 'csv';
  }
  // .xlsm is an .xlsx that may also carry macros (never run: only saved cell values are read).
  if (actual === 'xlsx' && ext === 'xlsm') actual = 'xlsm';
  if (!ext) return { format: actual, sniffed };
  const expectedText = TEXT_EXTENSIONS.has(ext);
  if (actual === 'csv' && !expectedText) return refuse(`${named} but is not a spreadsheet (it looks like text/CSV). Rename it to .csv, or save it from your spreadsheet program as .${ext}.`);
  if (actual !== 'csv' && expectedText) return refuse(`${named} but is really ${DESCRIBE[actual]}. Rename it to .${actual} and upload it again.`);
  if (actual !== 'csv' && actual !== ext) return refuse(`${named} but is really ${DESCRIBE[actual]}. Rename it to .${actual} and upload it again.`);
  return { format: actual, sniffed };
}
