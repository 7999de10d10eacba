/** Issue 12's tables (migration 0011): offline verifiers, the audit chain's sealed head, security alerts. */
export interface LocalUserVerifiersTable {
  user_id: string;
  credential_id: string | null;
  verifier: string;
  stored_at: string;
}

export interface AuditHeadTable {
  id: number;
  /** The first entry chained with the keyed MAC (older ones keep plain SHA-256 links). */
  mac_from: number;
  seq: number;
  hash: string;
  mac: string | null;
  ack_seq: number | null;
  ack_hash: string | null;
  ack_mac: string | null;
}

export interface SecurityAlertsTable {
  id: string;
  at: string;
  kind: string;
  client_id: string | null;
  user_id: string | null;
  detail_json: string;
  /** Per machine (LOCAL_COLUMNS): which Admin acknowledged it here, and when (migration 0012). */
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/** An alert a machine raised about itself (its audit check at start-up failed); never synced. */
export interface LocalSecurityAlertsTable {
  id: string;
  at: string;
  kind: string;
  detail_json: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface SecurityTables {
  local_user_verifiers: LocalUserVerifiersTable;
  audit_head: AuditHeadTable;
  security_alerts: SecurityAlertsTable;
  local_security_alerts: LocalSecurityAlertsTable;
}
