import { z } from 'zod';
import { channel } from './define';
import type { SessionDTO } from './dto';

/** One table compared after a standalone desk seeded an empty server: what the desk sent, what the server holds. */
export interface JoinCheckDTO {
  table: string;
  deskRows: number;
  serverRows: number;
  /** Sum of every *_cents column, integer cents. */
  deskCents: number;
  serverCents: number;
  ok: boolean;
}

/** What joining a server did with this desk's own ledger, shown to the administrator. */
export interface JoinReportDTO {
  serverUrl: string;
  /** The backup made before anything was sent. */
  backupPath: string;
  tables: JoinCheckDTO[];
  /** Audit entries on this desk, and how many the server has acknowledged. */
  audit: { desk: number; server: number };
  files: number;
  /** Desk users that are now the server user of the same name. */
  mapped: string[];
  verified: boolean;
}

/** A desk the server knows (Admin's list). */
export interface DeskDTO {
  clientId: string;
  /** The computer's name (sent at registration; an Admin may change it). */
  label: string | null;
  /** The office it works in, chosen by an Admin. */
  office: string | null;
  registeredBy: string | null;
  registeredAt: string | null;
  lastSeenAt: string;
  /** The last command sequence the server accepted or refused from it. */
  lastSeq: number;
  /** Commands waiting on it to be sent, as it last reported (null: never reported). */
  pending: number | null;
  revokedAt: string | null;
  /** This computer. */
  current: boolean;
}

const serverUrl = z.string().trim().min(1, 'Enter the server address, e.g. https://ledger.example.org').max(300);
const signIn = {
  serverUrl,
  username: z.string().trim().min(1, 'Enter your user name on the server.').max(60),
  password: z.string().min(1, 'Enter your password on the server.').max(200),
  /** Where this computer works ("Downtown front desk"), sent when it registers; an Admin can change it on the Desks page. */
  office: z.string().trim().max(200, 'The office name is at most 200 characters.').optional(),
};

export const joinContract = {
  /** First run: join the office's server instead of creating a local administrator (public: no one is signed in yet). */
  'auth.joinServer': channel<SessionDTO>()(z.object(signIn).strict()),
  /** Whether this desk holds a ledger of its own (worked standalone): setting a server then means joining with it. */
  'sync.joinInfo': channel<{ standalone: boolean }>()(z.object({}).strict()),
  /** Admin: a standalone desk joins a server: seeds it when empty, refuses (changing nothing) when not. */
  'sync.joinServer': channel<JoinReportDTO>()(z.object(signIn).strict()),
  /** Admin: the desks the server knows. */
  'sync.desks.list': channel<DeskDTO[]>()(z.object({}).strict()),
  /** Admin: revoke a desk: its pushes are refused until an administrator signs in there again. */
  /** Admin: name a desk (its computer name and office) for the list. */
  'sync.desks.rename': channel<{ ok: true }>()(
    z
      .object({
        clientId: z.string().uuid('Choose a desk.'),
        label: z.string().trim().min(1, 'Give the computer a name.').max(200, 'Keep the name under 200 characters.'),
        office: z.string().trim().max(200, 'Keep the office under 200 characters.').nullable(),
      })
      .strict(),
  ),
  'sync.desks.revoke': channel<{ revoked: boolean }>()(z.object({ clientId: z.string().uuid('Choose a desk.') }).strict()),
} as const;
