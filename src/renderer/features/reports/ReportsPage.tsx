import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { CreditKindLabels, CreditKinds } from '../../../shared/contract/credits';
import { paymentMethodOptions } from '../../../shared/contract/payment-methods';
import { PaymentReportStatuses, ReversalKinds, type ReportDTO, type ReportName } from '../../../shared/contract/reports';
import { localDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import type { Channel } from '../../../shared/contract';
import type { PageProps } from '../../app/pages';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { ReportActions, type ExportRequest } from './ReportActions';
import { ReportChart } from './ReportChart';
import { ReportPrint } from './ReportPrint';
import { ReportTable } from './ReportTable';
import { filterFor, FILTERS, filtersFromParams, filtersToParams, type FilterKey, type FilterState } from './report-filters';

const CHANNEL: Record<ReportName, Channel> = {
  payments: 'reports.payments',
  deposits: 'reports.deposits',
  reversals: 'reports.reversals',
  credits: 'reports.credits',
  uploads: 'reports.uploads',
  aging: 'reports.agingTable',
  collections: 'reports.collections',
};

const METHOD_OPTIONS = paymentMethodOptions();
const STATUS_WORDS: Record<string, string> = { standing: 'Received', pending: 'Pending', deposited: 'Deposited', on_hold: 'On hold', scheduled: 'Scheduled', cancelled: 'Cancelled', voided: 'Voided' };
const KIND_OPTIONS: Partial<Record<ReportName, { value: string; label: string }[]>> = {
  reversals: ReversalKinds.map((k) => ({ value: k, label: { refund: 'Refunds', void: 'Voids', cancel: 'Cancelled payments', return: 'Returned payments' }[k] })),
  credits: CreditKinds.map((k) => ({ value: k, label: CreditKindLabels[k] })),
  uploads: [
    { value: 'balance', label: 'Balance files' },
    { value: 'bill', label: 'Bill files' },
  ],
};
const STATUS_OPTIONS: Partial<Record<ReportName, { value: string; label: string }[]>> = {
  payments: PaymentReportStatuses.filter((s) => s !== 'standing').map((s) => ({ value: s, label: STATUS_WORDS[s]! })),
  deposits: [
    { value: 'open', label: 'Open' },
    { value: 'closed', label: 'Closed' },
  ],
};

/**
 * The office's reports on one page with a report picker: filters, totals, a chart where people look
 * rather than read (with its data table), the tables, CSV/XLSX export and a printable page. Which
 * reports a role sees, and what of them, comes from core (reports.catalog).
 */
export function ReportsPage({ params }: PageProps) {
  const go = useNav((s) => s.replace);
  const catalog = useQuery('reports.catalog', {});
  const reports = catalog.data?.reports ?? [];
  const chosen = reports.find((r) => r.name === params.r) ?? reports[0];
  return (
    <Stack>
      <PageHeader title="Reports" subtitle="Filter, print or export a report. Totals are the ledger’s own figures." />
      <ErrorAlert error={catalog.error} title="Reports not available" />
      <Group gap="xs" role="group" aria-label="Choose a report" className="no-print">
        {reports.map((r) => (
          <Button key={r.name} size="xs" variant={r.name === chosen?.name ? 'filled' : 'default'} aria-pressed={r.name === chosen?.name} onClick={() => go('reports', { r: r.name })}>
            {r.title}
          </Button>
        ))}
      </Group>
      {chosen && <ReportScreen key={chosen.name} name={chosen.name} params={params} description={chosen.description} scopeNote={chosen.scopeNote} users={catalog.data?.users ?? []} />}
    </Stack>
  );
}

// long: one report screen: its filters, run and table share the parameters; the models are in report-model.ts
function ReportScreen({ name, params, description, scopeNote, users }: { name: ReportName; params: Record<string, string | undefined>; description: string; scopeNote: string | null; users: { id: string; name: string }[] }) {
  const { divisionId: selected, setDivision } = useDivision();
  const divisions = useQuery('divisions.list', {}, { refreshOn: ['divisions'] });
  const replace = useNav((s) => s.replace);
  const [today] = useState(localDate);
  // The filters live in the address (#/reports?r=…&from=…): Back/Forward, reload and a shared link restore them.
  const { filters: f, divisionId: linked } = filtersFromParams(name, params, today);
  const divisionId = linked !== undefined ? linked : selected;
  const write = (next: FilterState, division: string | null) => replace('reports', filtersToParams(name, next, FILTERS[name].includes('division') ? division : undefined, today));
  const set = (k: keyof FilterState) => (v: string | null) => write({ ...f, [k]: v ?? '' }, divisionId);
  // A linked division becomes the office's selected one; a later change of the selector (here or in
  // the header) is written back into the address.
  useEffect(() => {
    if (linked !== undefined && linked !== selected) setDivision(linked);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const seen = useRef(selected);
  useEffect(() => {
    if (seen.current === selected) return;
    seen.current = selected;
    if (selected !== divisionId) write(f, selected);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);
  // A CSR's payments report is their own payments of today (core decides; the fields would mislead).
  const hidden: FilterKey[] = scopeNote ? ['from', 'to', 'userId'] : [];
  const shows = (k: FilterKey) => FILTERS[name].includes(k) && !hidden.includes(k);
  const filter = filterFor(name, f, divisionId, hidden);
  const report = useQuery(CHANNEL[name], filter as never, { refreshOn: ['payments', 'deposits', 'applications', 'invoices', 'credits', 'accounts', 'uploads'] });
  const r = report.data as ReportDTO | undefined;
  const request = { report: name, filter } as ExportRequest;

  return (
    <>
      <Card withBorder className="no-print">
        <Group justify="space-between" align="flex-start" mb="xs">
          <div>
            <Title order={2} size="h3">
              {r?.title ?? description}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </div>
          <Group gap="xs">
            <ReportActions request={request} disabled={!r} />
          </Group>
        </Group>
        {scopeNote && (
          <Alert color="blue" variant="light" mb="xs" data-testid="report-scope">
            {scopeNote}
          </Alert>
        )}
        <Group align="flex-end" wrap="wrap" data-testid="report-filters">
          {shows('from') && <TextInput label="From" type="date" value={f.from} onChange={(e) => set('from')(e.currentTarget.value)} />}
          {shows('to') && <TextInput label="To" type="date" value={f.to} onChange={(e) => set('to')(e.currentTarget.value)} />}
          {shows('asOf') && <TextInput label="Aged as of" type="date" value={f.asOf} onChange={(e) => set('asOf')(e.currentTarget.value || today)} />}
          {shows('division') && (
            <Select
              label="Division"
              w={200}
              data={[{ value: '', label: 'All divisions' }, ...(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
              value={divisionId ?? ''}
              onChange={(v) => setDivision(v ? v : null)}
              allowDeselect={false}
              data-testid="report-division"
            />
          )}
          {shows('method') && <Select label="Method" w={140} clearable placeholder="All methods" data={METHOD_OPTIONS} value={f.method || null} onChange={set('method')} data-testid="report-method" />}
          {shows('userId') && users.length > 0 && (
            <Select label="User" w={180} clearable placeholder="Anyone" data={users.map((u) => ({ value: u.id, label: u.name }))} value={f.userId || null} onChange={set('userId')} data-testid="report-user" />
          )}
          {shows('status') && STATUS_OPTIONS[name] && (
            <Select
              label="Status"
              w={160}
              clearable
              placeholder={name === 'payments' ? 'Received' : 'Open and closed'}
              data={STATUS_OPTIONS[name]!}
              value={f.status || null}
              onChange={set('status')}
              data-testid="report-status"
            />
          )}
          {shows('kind') && KIND_OPTIONS[name] && <Select label="Kind" w={180} clearable placeholder="All kinds" data={KIND_OPTIONS[name]!} value={f.kind || null} onChange={set('kind')} data-testid="report-kind" />}
          {shows('every') && (
            <Select
              label="Per"
              w={120}
              data={[
                { value: 'day', label: 'Day' },
                { value: 'week', label: 'Week' },
                { value: 'month', label: 'Month' },
              ]}
              value={f.every}
              onChange={(v) => set('every')(v ?? 'week')}
              allowDeselect={false}
              data-testid="report-every"
            />
          )}
        </Group>
      </Card>
      <ErrorAlert error={report.error} title="Report not available" />
      {r && (
        <div className="no-print">
          <Text size="sm" c="dimmed" mb="xs" data-testid="report-filter-text">
            {r.filterText}
          </Text>
          {r.truncated && (
            <Alert color="yellow" variant="light" mb="xs">
              Only the first rows are listed: narrow the filters to see all of them.
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, md: Math.min(5, r.totals.length) }} mb="md" data-testid="report-totals">
            {r.totals.map((t) => (
              <Card key={t.label} withBorder padding="xs">
                <Text size="xs" c="dimmed">
                  {t.label}
                </Text>
                <Text fw={700} size="lg" ff={t.type === 'money' ? 'monospace' : undefined} data-testid={`total-${t.label}`}>
                  {t.type === 'money' ? formatMoney(t.value) : t.value.toLocaleString('en-US')}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
          {r.chart && r.chart.points.length > 0 && (
            <Card withBorder mb="md">
              <Title order={3} size="h4" mb="xs">
                {r.chart.title}
              </Title>
              <ReportChart chart={r.chart} />
            </Card>
          )}
          {r.tables.map((t) => (
            <Card withBorder mb="md" key={t.key}>
              <Title order={3} size="h4" mb="xs">
                {t.title} ({t.rows.length.toLocaleString('en-US')})
              </Title>
              <ReportTable t={t} />
            </Card>
          ))}
        </div>
      )}
      {r && <ReportPrint r={r} />}
    </>
  );
}
