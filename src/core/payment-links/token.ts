import { createHash } from 'node:crypto';

/** What the ledger stores of a link's token: its SHA-256, so a copy of the database opens no link. */
export const hashLinkToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
