import { Button } from '@mantine/core';
import { useState } from 'react';
import type { z } from 'zod';
import type { reportExportInput } from '../../../shared/contract/reports';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { saveDownload } from '../../lib/files';

export type ExportRequest = Omit<z.input<typeof reportExportInput>, 'format'>;

/** Export CSV, Export XLSX and Print for one report with its current filters. */
export function ReportActions({ request, disabled }: { request: ExportRequest; disabled?: boolean }) {
  const [error, setError] = useState<AppError | null>(null);
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const r = await call('reports.export', { ...request, format } as z.input<typeof reportExportInput>);
    if (r.ok) saveDownload(r.value);
    setError(r.ok ? null : r.error);
  };
  return (
    <>
      <Button variant="default" disabled={disabled} onClick={() => void exportAs('csv')}>
        Export CSV
      </Button>
      <Button variant="default" disabled={disabled} onClick={() => void exportAs('xlsx')}>
        Export XLSX
      </Button>
      <Button variant="default" disabled={disabled} onClick={() => window.print()}>
        Print
      </Button>
      {error && <ErrorAlert error={error} title="Export failed" />}
    </>
  );
}
