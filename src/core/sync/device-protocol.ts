import { z } from 'zod';

/**
 * Server-issued desk identities (issue 13): a desk registers once per server and gets a client id
 * bound to a random device secret. Pushes and audit pushes carry the secret in this header; the
 * server accepts them only for the client id the secret owns.
 */
export const DEVICE_HEADER = 'x-ledgerdesk-device';

export const registerClientRequest = z
  .object({
    /** A name for the Admin's list of desks (the computer's name). */
    label: z.string().trim().max(200).optional(),
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
