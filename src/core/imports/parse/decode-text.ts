/**
 * Turns a text file's bytes into a string. Files saved by Excel on Windows are often Windows-1252
 * ("Save as CSV"), others UTF-8 with or without a BOM, and "Unicode text" exports are UTF-16 with a
 * BOM. Valid UTF-8 is taken as UTF-8; anything else is read as Windows-1252, which cannot fail.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding; bom: boolean } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // A BOM promises UTF-8; broken sequences become U+FFFD rather than refusing the file.
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', bom: true };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252', bom: false };
  }
}

/** Windows-1252's 0x80-0x9F (€, curly quotes, dashes, ™); the five unassigned bytes stay as they are. */
const C1 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x92 comes out as U+0092, not the
 * apostrophe in "O’Brien"), so the C1 range is mapped here.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\u0080-\u009f]/.test(latin1) ? latin1.replace(/[\u0080-\u009f]/g, (ch) => C1[ch.charCodeAt(0) - 0x80]!) : latin1;
}
