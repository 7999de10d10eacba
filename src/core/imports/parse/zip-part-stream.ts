/**
 * One part of a zipped workbook, inflated a slice at a time and decoded as UTF-8 text: the streaming
 * XLSX reader pulls a sheet through this instead of unzipping it whole, so memory stays bounded by
 * the slice and by what the reader keeps. A part that unpacks to more than its directory entry
 * declares is refused as it goes (the declared sizes were already checked against the limits).
 */
import { Inflate } from 'fflate';
import { overLimit, refuse } from './types';
import { partData, type ZipEntry } from './zip-guard';

/** Compressed bytes handed to the inflater per pull: small enough to keep memory flat. */
const SLICE_BYTES = 64 * 1024;

export class PartText {
  private readonly data: Uint8Array;
  private at = 0;
  private outBytes = 0;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly inflater: Inflate | null;
  private pending: string[] = [];
  private done = false;

  constructor(
    bytes: Uint8Array,
    private readonly entry: ZipEntry,
  ) {
    this.data = partData(bytes, entry);
    if (entry.method !== 0 && entry.method !== 8) refuse(`This workbook uses a zip compression method (${entry.method}) spreadsheets do not use; save it again from your spreadsheet program.`);
    this.inflater = entry.method === 8 ? new Inflate((chunk, final) => this.take(chunk, final)) : null;
  }

  /** The next piece of the part's text, or null at its end. */
  pull(): string | null {
    while (this.pending.length === 0 && !this.done) {
      const end = Math.min(this.data.length, this.at + SLICE_BYTES);
      const slice = this.data.subarray(this.at, end);
      this.at = end;
      const last = end >= this.data.length;
      if (!this.inflater) this.take(slice, last);
      else {
        try {
          this.inflater.push(slice, last);
        } catch (e) {
          if (e instanceof Error && e.name === 'FileRefused') throw e;
          refuse('This workbook is damaged (its zip structure cannot be read). Open it in your spreadsheet program and save it again.');
        }
      }
      if (last) this.done = true;
    }
    return this.pending.shift() ?? null;
  }

  private take(chunk: Uint8Array, final: boolean): void {
    this.outBytes += chunk.length;
    if (this.outBytes > Math.max(1, this.entry.uncompressedSize)) {
      overLimit(`This workbook's part "${this.entry.name.slice(0, 80)}" unpacks to more than it declares, so it was not opened.`);
    }
    const text = this.decoder.decode(chunk, { stream: !final });
    if (text) this.pending.push(text);
  }
}

/** The whole text of a small part (workbook, relationships, styles). */
export function partText(bytes: Uint8Array, entry: ZipEntry): string {
  const p = new PartText(bytes, entry);
  let out = '';
  for (let s = p.pull(); s !== null; s = p.pull()) out += s;
  return out;
}
