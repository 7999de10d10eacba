import type { FileDownloadDTO } from '../../shared/contract/imports';

/** Base64 of a file's bytes, in chunks (btoa of a 50 MB string at once overflows the stack). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let out = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(out);
}

/** Saves a file main produced (an export, a template) through the browser's download. */
export function saveDownload(d: FileDownloadDTO): void {
  const bin = atob(d.contentBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: d.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = d.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
