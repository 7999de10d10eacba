/**
 * Reads a zip's central directory ourselves and checks what it would unzip to BEFORE SheetJS sees
 * it: SheetJS trusts the declared sizes (it may allocate them up front) and would happily inflate a
 * zip bomb. We then inflate every part with a hard output cap, so a part that lies about its size is
 * caught too. Zip64 sizes are read from the 0x0001 extra field.
 */
import { inflateRawSync } from 'node:zlib';
import { overLimit, refuse, sizeText, type ParseLimits } from './types';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const MAX_ENTRIES = 10_000;
/** Tiny parts (styles, rels) legitimately compress hundreds of times; only big parts are judged by ratio. */
const RATIO_MIN_BYTES = 1_000_000;

const damaged = () => refuse('This workbook is damaged (its zip structure cannot be read). Open it in your spreadsheet program and save it again.');

export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  // The end record sits in the last 22 bytes plus an optional comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return damaged();
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) return refuse('This workbook uses the Zip64 format, which is only needed for files far larger than can be imported.');
  if (count > MAX_ENTRIES) return overLimit(`This workbook has ${count.toLocaleString('en-US')} parts; at most ${MAX_ENTRIES.toLocaleString('en-US')} are allowed.`);
  if (cdOffset + cdSize > eocd) return damaged();
  const names = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CDH_SIG) return damaged();
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const name = names.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // Zip64 extra field: the 8-byte values appear in this order, only for the fields that overflowed.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      let found = false;
      while (e + 4 <= end) {
        const id = view.getUint16(e, true);
        const size = view.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          const next = () => {
            if (q + 8 > e + 4 + size) return damaged();
            const v = Number(view.getBigUint64(q, true));
            q += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localOffset === 0xffffffff) localOffset = next();
          found = true;
          break;
        }
        e += 4 + size;
      }
      if (!found) return damaged();
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The compressed bytes of one part, found through its local header. */
export function partData(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LFH_SIG) damaged();
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length) damaged();
  if (e.method === 0 && e.compressedSize !== e.uncompressedSize) damaged();
  return bytes.subarray(start, start + e.compressedSize);
}

/**
 * Refuses a zip whose declared or actual unzipped size breaks the limits. `inflateAll: false` skips
 * unzipping every part up front: for the streaming reader, which caps each part it reads as it goes.
 */
export function checkZipLimits(bytes: Uint8Array, entries: ZipEntry[], limits: Pick<ParseLimits, 'maxUncompressedBytes' | 'maxCompressionRatio'>, inflateAll = true): void {
  let total = 0;
  for (const e of entries) {
    if (e.flags & 1) refuse('This workbook is protected with a password. Remove the password in your spreadsheet program and upload it again.');
    total += e.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      overLimit(`This workbook would unpack to more than ${sizeText(limits.maxUncompressedBytes)} when opened, which is more than can be imported. Save it as CSV, or split it into smaller files.`);
    }
    if (e.uncompressedSize > RATIO_MIN_BYTES && e.uncompressedSize > limits.maxCompressionRatio * Math.max(1, e.compressedSize)) {
      overLimit(`This workbook is compressed far more tightly than a real spreadsheet (part "${e.name.slice(0, 80)}" unpacks ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize)).toLocaleString('en-US')} times larger), so it was not opened.`);
    }
  }
  if (!inflateAll) return;
  // The declared sizes may lie; inflate each part with its declared size as a hard cap.
  for (const e of entries) checkPartSize(bytes, e);
}

/** Inflates one part with its declared size as a hard cap, and discards the result. */
export function checkPartSize(bytes: Uint8Array, e: ZipEntry): void {
  const data = partData(bytes, e);
  if (e.method === 0) return;
  if (e.method !== 8) refuse(`This workbook uses a zip compression method (${e.method}) spreadsheets do not use; save it again from your spreadsheet program.`);
  if (e.compressedSize === 0) return;
  try {
    inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      overLimit(`This workbook's part "${e.name.slice(0, 80)}" unpacks to more than it declares, so it was not opened.`);
    }
    damaged();
  }
}
