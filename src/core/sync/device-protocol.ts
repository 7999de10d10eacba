import { z } from 'zod';

/**
 * Server-issued desk identities (issue 13): a desk registers once per server and gets a client id
 * bound to a random device secret. Pushes and audit pushes carry the secret in this header; the
 * server accepts them only for the client id the secret owns.
 */
export const DEVICE_HEADER = 'x-ledgerdesk-device';
/** How many commands the desk holds unsent, reported with each data request (the Admin's Desks page). */
export const PENDING_HEADER = 'x-ledgerdesk-pending';

/** The server's answer when a computer showing no live credential is registered by a CSR. */
export const UNREGISTERED = 'This computer is not registered with the office server; ask an administrator to sign in here once.';

export const registerClientRequest = z
  .object({
    /** A name for the Admin's list of desks (the computer's name). */
    label: z.string().trim().max(200).optional(),
    /** The office it works in, chosen on the join form (an Admin may change it on the Desks page). */
    office: z.string().trim().max(200).optional(),
    /** Other users' server tokens signed in on this computer before it registered: bound to it too. */
    tokens: z.array(z.string().max(200)).max(100).optional(),
  })
  .strict();

export interface RegisterClientResponse {
  clientId: string;
  deviceSecret: string;
}

/** The server's record of one desk, as that desk may read it (restore detection). */
export interface ClientRecord {
  clientId: string;
  lastSeq: number;
  auditSeq: number;
  auditHash: string;
}

/** An Admin's new name for a desk (Desks page). */
export const renameClientRequest = z
  .object({
    label: z.string().trim().min(1, 'Give the computer a name.').max(200),
    office: z.string().trim().max(200).nullable(),
  })
  .strict();
