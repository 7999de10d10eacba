import type { Database } from '../../core/db/schema';

/** The server's own tables (src/server/db/server-migrations.ts), beside the ledger's. */
export interface ServerTables {
  /** The change stream clients pull: one row per committed row change, in commit order. */
  srv_changes: { seq: number; tbl: string; pk_json: string; row_json: string | null; tx: number };
  srv_txn: { id: number; n: number };
  /** Every pushed command's answer, by id: a repeat gets the same answer and is not run again. */
  srv_commands: {
    command_id: string;
    client_id: string;
    client_seq: number;
    user_id: string;
    name: string;
    version: number;
    input_hash: string;
    status: 'accepted' | 'rejected';
    error_json: string | null;
    server_seq: number;
    received_at: string;
  };
  /** Per desktop install: the last client sequence processed, and the head of its audit chain. */
  srv_clients: { client_id: string; last_seq: number; audit_seq: number; audit_hash: string; updated_at: string };
  srv_tokens: { token_hash: string; user_id: string; client_id: string | null; created_at: string; expires_at: string; revoked_at: string | null };
  srv_files: { sha256: string; size_bytes: number; chunk_count: number; complete: number; file_name: string; created_at: string; completed_at: string | null; uploaded_by?: string | null };
  srv_file_chunks: { sha256: string; idx: number; chunk_sha256: string; bytes: Buffer };
  /** Each desktop's audit chain as it arrived (verified link by link). */
  srv_client_audit: {
    client_id: string;
    seq: number;
    id: string;
    at: string;
    user_id: string | null;
    action: string;
    entity: string;
    entity_id: string | null;
    before_json: string | null;
    after_json: string | null;
    prev_hash: string;
    hash: string;
    received_at: string;
  };
  /** A desk's server-issued client id and the hash of its device secret (only that desk may push as it). */
  srv_client_devices: { client_id: string; secret_hash: string; registered_by: string; created_at: string; label: string | null; office?: string | null; last_seen_at?: string | null; pending?: number | null };
  srv_revoked_clients: { client_id: string; revoked_by: string; revoked_at: string };
  srv_seed_pieces: { seed_id: string; tbl: string; idx: number; row_count: number; rows_json: string; received_at: string };
  srv_seed_done: { seed_id: string; result_json: string; done_at: string };
  /** Changes with seq <= horizon_seq were removed (src/server/ops/compact-changes.ts). */
  srv_change_horizon: { id: number; horizon_seq: number; compacted_at: string };
  server_migrations: { name: string; applied_at: string };
  /** Gateway webhook events already taken (src/server/gateway/record-payment.ts). */
  srv_gateway_events: { event_id: string; gateway: string; type: string; link_id: string | null; payment_id: string | null; outcome: string; received_at: string };
  /** Sign-in delays by key (account name or source), so a restart does not forget them (times in ms). */
  srv_signin_throttle: { key: string; failures: number; last_ms: number; until_ms: number };
}

export type ServerDatabase = Database & ServerTables;
