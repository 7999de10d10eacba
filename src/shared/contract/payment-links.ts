import { z } from 'zod';
import { channel } from './define';
import { id, optionalEmail, required, trimmed } from './fields';

/**
 * One-time payment links (issue 14 item 4): a CSR sends a payer with no portal login a link to a page
 * on the central server, where the payer pays through the gateway. The token in the link is made by
 * the caller (32 random bytes, base64url) and only its SHA-256 is stored.
 */

export type PaymentLinkState = 'open' | 'paid' | 'revoked' | 'expired';

export interface PaymentLinkDTO {
  id: string;
  accountId: string;
  /** The balance when the link was sent. */
  amountCents: number;
  email: string | null;
  /** Last business date the link can be paid on. */
  expiresOn: string;
  /** Expired is read from the date: an open link past its last day. */
  state: PaymentLinkState;
  createdAt: string;
  createdBy: string;
  createdByName: string;
  revokedAt: string | null;
  revokeReason: string | null;
  paidPaymentId: string | null;
  paidAt: string | null;
  /** Whether an email with the link was queued. */
  emailed: boolean;
}

export interface PaymentLinkAvailabilityDTO {
  available: boolean;
  /** The central server's public address the links point at. */
  publicUrl: string | null;
  /** Why links cannot be made here, in a clerk's words. */
  reason: string | null;
  /** Whether the server takes card payments through a gateway (else the page says how to pay by check or transfer). */
  gateway: boolean;
  defaultExpiryDays: number;
  /** How the payer page behaves (Settings → Payment links). */
  options: PaymentLinkOptions;
}

/** base64url of 32 random bytes. */
export const payLinkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { message: 'Not a valid payment link token.' });

export const DEFAULT_LINK_EXPIRY_DAYS = 14;
export const MAX_LINK_EXPIRY_DAYS = 90;

export const createPaymentLinkInput = z
  .object({
    linkId: id.optional(),
    accountId: id,
    token: payLinkToken,
    /** Send the link by email to this address (blank: copy it only). */
    email: optionalEmail,
    expiresInDays: z.number().int().min(1, { message: 'A link must be good for at least one day.' }).max(MAX_LINK_EXPIRY_DAYS, { message: `A link can be good for at most ${MAX_LINK_EXPIRY_DAYS} days.` }).optional(),
  })
  .strict();

export const paymentLinksContract = {
  'paymentLinks.create': channel<PaymentLinkDTO>()(createPaymentLinkInput),
  /** Its author or a Supervisor/Admin; a paid link cannot be revoked. */
  'paymentLinks.revoke': channel<PaymentLinkDTO>()(z.object({ linkId: id, reason: required(300, 'Reason') }).strict()),
  'paymentLinks.list': channel<PaymentLinkDTO[]>()(z.object({ accountId: id }).strict()),
  'paymentLinks.availability': channel<PaymentLinkAvailabilityDTO>()(z.object({}).strict()),
  /** Admin: how the payer page behaves (synced to the server). */
  'paymentLinks.configure': channel<PaymentLinkOptions>()(
    z
      .object({
        currency: z.string().regex(/^[a-z]{3}$/, { message: 'A currency is three lower-case letters, e.g. usd.' }).optional(),
        allowOverpay: z.boolean().optional(),
        expiryDays: z
          .number({ message: 'Enter the number of days a link stays good.' })
          .int({ message: 'Links are good for whole days.' })
          .min(1, { message: 'A link must be good for at least one day.' })
          .max(MAX_LINK_EXPIRY_DAYS, { message: `A link can be good for at most ${MAX_LINK_EXPIRY_DAYS} days.` })
          .optional(),
        payInstructions: trimmed(2000, 'How to pay').optional(),
      })
      .strict(),
  ),
} as const;

export interface PaymentLinkOptions {
  currency: string;
  allowOverpay: boolean;
  expiryDays: number;
  /** Shown on the payer page when no gateway is configured (mail a check / bank transfer). */
  payInstructions: string;
}

/** The payer's address of a link. */
export const payLinkUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/pay/${token}`;

/** A new link token: 32 random bytes from the platform's CSPRNG, base64url. */
export function newPayLinkToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
