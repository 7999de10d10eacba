/** Tables of sync, the desktop's side (migration 0005). See docs/sync.md. */

export interface SyncStateTable {
  key: string;
  value: string;
}

/** Rows a not-yet-confirmed command changed: the old row (JSON) or null when the command inserted it. */
export interface SyncUndoTable {
  id: number;
  command_id: string | null;
  tbl: string;
  pk_json: string;
  old_json: string | null;
}

export interface SyncCtlTable {
  id: number;
  capture: number;
  next_client_seq: number;
}

/**
 * Columns 0005 adds to sync_outbox (declared in schema.ts). `state` then takes: 'pending' (not yet
 * answered), 'accepted' (the server ran it; dropped once pulled past server_seq), 'rejected'
 * (Needs Attention).
 */
export interface SyncOutboxExtra {
  client_seq: number | null;
  server_seq: number | null;
  error_json: string | null;
  answered_at: string | null;
}

export interface SyncTables {
  sync_state: SyncStateTable;
  sync_undo: SyncUndoTable;
  sync_ctl: SyncCtlTable;
}
