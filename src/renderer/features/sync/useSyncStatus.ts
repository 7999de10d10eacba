import { useCallback, useEffect, useState } from 'react';
import type { SyncStatusDTO } from '../../../shared/contract/sync';
import { call, onEvent } from '../../api/client';

/** The sync status from main, kept current by the `sync.status` event. Null until known (or when sync is not wired). */
export function useSyncStatus(): { status: SyncStatusDTO | null; reload: () => void } {
  const [status, setStatus] = useState<SyncStatusDTO | null>(null);
  const reload = useCallback(() => {
    void call('sync.status', {}).then((r) => setStatus(r.ok ? r.value : null));
  }, []);
  useEffect(() => {
    reload();
    return onEvent('sync.status', (e) => setStatus((s) => (s ? { ...s, ...e } : null)));
  }, [reload]);
  return { status, reload };
}

export function timeAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return new Date(iso).toLocaleString();
}
