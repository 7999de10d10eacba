import * as XLSX from 'xlsx';
import type { FileDownloadDTO } from '../../shared/contract/imports';
import { csvLine } from '../imports/parse/csv-escape';

export type Cell = string | number | null;

/**
 * A report table as a file: CSV (formula-like text neutralised, as every export here) or XLSX
 * (text cells stay text; numbers stay numbers so totals add up in the spreadsheet).
 */
export function exportTable(baseName: string, header: string[], rows: Cell[][], format: 'csv' | 'xlsx'): FileDownloadDTO {
  if (format === 'csv') {
    const text = [csvLine(header), ...rows.map((r) => csvLine(r))].join('\r\n') + '\r\n';
    return { fileName: `${baseName}.csv`, mime: 'text/csv', contentBase64: Buffer.from('\ufeff' + text, 'utf8').toString('base64') };
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([header, ...rows]), baseName.slice(0, 31));
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  return { fileName: `${baseName}.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: bytes.toString('base64') };
}
