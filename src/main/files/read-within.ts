import { readFileSync, statSync } from 'node:fs';

/** Thrown when a file is bigger than its reader allows; nothing of it was read. */
export class FileTooLarge extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`The file ${path} is ${size.toLocaleString('en-US')} bytes; at most ${maxBytes.toLocaleString('en-US')} are read.`);
    this.name = 'FileTooLarge';
  }
}

/**
 * Reads a whole file only after its size says it fits: a damaged or planted file of gigabytes in
 * the data folder costs a stat, not the process's memory.
 */
export function readFileWithin(path: string, maxBytes: number): Buffer {
  const size = statSync(path).size;
  if (size > maxBytes) throw new FileTooLarge(path, size, maxBytes);
  return readFileSync(path);
}
