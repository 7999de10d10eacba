import { z } from 'zod';
import { businessTimeSchema } from '../commands/business-time';
import type { KeptMoney } from '../commands/types';

/**
 * The wire protocol between a desktop and the server (JSON over HTTPS). Versioned by the path
 * (/v1/...). Both sides parse with these schemas.
 */

/**
 * Commands per push request. A batch is one server transaction: each one costs a commit and the
 * first read of every account it touches, so 5,000 pushed 100,000 payments in about half the
 * server CPU that 1,000 did (issue 13), and 10,000 (requests of about 3 MB) in a fifth less time
 * than 5,000 on PostgreSQL (100k: 55.1 -> 43.8 s, back to back). A larger push holds the commit lock
 * longer (about 4 s for 10,000 on PostgreSQL); a push too large for the path is sent in halves.
 */
export const MAX_PUSH_COMMANDS = 10_000;
export const MAX_PULL_LIMIT = 10_000;
export const CHUNK_BYTES = 1024 * 1024;

const uuidish = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'Expected an id.');

export const signInRequest = z
  .object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500), clientId: uuidish.optional() })
  .strict();

export const pushedCommand = z
  .object({
    id: uuidish,
    clientSeq: z.number().int().positive(),
    name: z.string().min(1).max(100),
    version: z.number().int().positive(),
    input: z.unknown(),
    /** The business date and the instant the clerk acted, fixed on the desk; the server re-runs with them. */
    at: businessTimeSchema.optional(),
  })
  .strict();
export type PushedCommand = z.infer<typeof pushedCommand>;

export const pushRequest = z
  .object({
    clientId: uuidish,
    commands: z.array(pushedCommand).min(1).max(MAX_PUSH_COMMANDS),
  })
  .strict()
  .refine((r) => r.commands.every((c, i) => i === 0 || c.clientSeq > r.commands[i - 1]!.clientSeq), {
    message: 'Commands must be in increasing clientSeq order.',
    path: ['commands'],
  });

export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * One command's answer. 'accepted': ran (its rows appear in the change stream at or before
 * serverSeq). 'rejected': a business answer (never retried), kept by the server so a repeat gets
 * the same answer. 'retry': not processed now (a file it names is not on the server yet).
 */
export interface PushOutcome {
  id: string;
  clientSeq: number;
  status: 'accepted' | 'rejected' | 'retry';
  serverSeq?: number;
  error?: WireError;
  /** On a rejection: the money the command recorded, kept in a safe state instead of dropped. */
  kept?: KeptMoney;
}

export interface PushResponse {
  outcomes: PushOutcome[];
  /** The highest client sequence the server has processed from this client. */
  lastClientSeq: number;
}

export interface PulledChange {
  seq: number;
  /** table */
  t: string;
  /** primary-key values, in key-column order */
  k: unknown[];
  /** the row (synced columns) or null: deleted */
  r: Record<string, unknown> | null;
}

export interface PullResponse {
  changes: PulledChange[];
  /** Pass back as `after` for the next page. */
  cursor: number;
  more: boolean;
  /** The role this page was cut for (src/core/sync/tables.ts ROLE_SCOPES). */
  scope?: 'csr' | 'supervisor' | 'admin';
}

export interface SnapshotResponse {
  cursor: number;
  scope?: 'csr' | 'supervisor' | 'admin';
  tables: Record<string, Record<string, unknown>[]>;
}

export const auditEntry = z
  .object({
    seq: z.number().int().positive(),
    id: z.string().max(100),
    at: z.string().max(40),
    user_id: z.string().max(100).nullable(),
    action: z.string().max(100),
    entity: z.string().max(100),
    entity_id: z.string().max(200).nullable(),
    before_json: z.string().nullable(),
    after_json: z.string().nullable(),
    prev_hash: z.string().length(64),
    hash: z.string().length(64),
    /** The desk's own seal (HMAC under its key): accepted and dropped; the server cannot check it. */
    mac: z.string().max(64).nullable().optional(),
  })
  .strict()
  .transform(({ mac: _mac, ...e }) => e);

export const auditPushRequest = z.object({ clientId: uuidish, entries: z.array(auditEntry).min(1).max(5000) }).strict();

export interface SignInResponse {
  token: string;
  expiresAt: string;
  /**
   * The user's record. Never the server's stored password form: instead a purpose-made offline
   * verifier (own salt, slow KDF) for this desk alone, tied to the user's current credential id.
   */
  user: { id: string; username: string; displayName: string; role: 'csr' | 'supervisor' | 'admin'; active: boolean; credentialId: string | null; offlineVerifier: string };
}

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex.');

/** Every `sha256` string field in a command's input names a file that must be on the server first. */
export function fileRefs(input: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(input)) input.forEach((v) => fileRefs(v, out));
  else if (input && typeof input === 'object') {
    for (const [k, v] of Object.entries(input)) {
      if (k === 'sha256' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) out.add(v);
      else if (v && typeof v === 'object') fileRefs(v, out);
    }
  }
  return out;
}
