import { z } from 'zod';
import { channel } from './define';
import { id, isoDate, moneyText, required, trimmed } from './fields';
import type { FileDownloadDTO } from './imports';

/**
 * Statements and balance notifications (issue 7): statement profiles with dunning levels and their
 * templates, statement batches, the notification queue with its status history.
 */

/** The merge fields a template may use, as {{name}}. Anything else is refused when saved. */
export const MERGE_FIELDS = {
  payer_name: "The payer's name",
  account_number: 'The account number',
  balance: 'The balance on the statement date',
  amount_due: 'The amount due (the balance, or the amount of an uploaded file)',
  oldest_due_date: 'Due date of the oldest unpaid charge',
  days_past_due: 'Days the oldest unpaid charge is past due',
  aging_current: 'Not yet due',
  aging_1_30: '1–30 days past due',
  aging_31_60: '31–60 days past due',
  aging_61_90: '61–90 days past due',
  aging_over_90: 'More than 90 days past due',
  pay_by_reference: 'The reference to quote when paying',
  statement_date: 'The date of the statement',
  level_name: 'The dunning level (e.g. Reminder)',
  office_name: 'Your office name (Settings)',
  office_contact: 'Your office contact (Settings)',
  pay_link: 'A one-time payment link (emails of a profile that includes one; otherwise empty)',
} as const;
export type MergeField = keyof typeof MERGE_FIELDS;

export const ChannelModes = ['email-else-letter', 'email', 'letter'] as const;
export type ChannelMode = (typeof ChannelModes)[number];
export const ChannelModeLabels: Record<ChannelMode, string> = {
  'email-else-letter': 'Email; a letter when the payer has no email address',
  email: 'Email only',
  letter: 'Printed letter only',
};

export type NotificationChannel = 'email' | 'letter';
export const NotificationStatuses = ['queued', 'sending', 'sent', 'delivered', 'error', 'cancelled'] as const;
export type NotificationStatus = (typeof NotificationStatuses)[number];

export const LevelTimings = ['before', 'on', 'after'] as const;
export type LevelTiming = (typeof LevelTimings)[number];

export interface LevelDTO {
  level: number;
  name: string;
  /** Before, on or after the (oldest) due date by `days`. */
  timing: LevelTiming;
  days: number;
  emailSubject: string;
  emailBody: string;
  letterBody: string;
}

export interface ProfileDTO {
  id: string;
  name: string;
  divisionId: string | null;
  divisionName: string | null;
  minBalanceCents: number;
  minDaysPastDue: number;
  sendTime: string;
  channelMode: ChannelMode;
  active: boolean;
  /** Emails carry a one-time payment link (issue 14 item 4). */
  includePayLink: boolean;
  version: number;
  levels: LevelDTO[];
  updatedAt: string;
  queued: number;
  errors: number;
}

export interface BatchIssueDTO {
  row?: number;
  accountNumber?: string;
  message: string;
}

export interface BatchDTO {
  id: string;
  number: string;
  profileId: string;
  profileName: string;
  source: 'run' | 'file' | 'on-demand';
  fileName: string | null;
  asOf: string;
  statements: number;
  notifications: number;
  skipped: number;
  issues: BatchIssueDTO[];
  createdBy: string;
  createdAt: string;
  statusCounts: Partial<Record<NotificationStatus, number>>;
  letterFiles: { id: string; letters: number; createdAt: string }[];
}

export interface StatementRowDTO {
  id: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  amountDueCents: number;
  closingCents: number;
  oldestDueDate: string | null;
  daysPastDue: number;
  notificationId: string | null;
  level: number | null;
  status: NotificationStatus | null;
}

export interface BatchDetailDTO extends BatchDTO {
  statementRows: StatementRowDTO[];
}

export interface NotificationRowDTO {
  id: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  batchId: string;
  batchNumber: string;
  profileId: string;
  profileName: string;
  level: number;
  levelName: string;
  channel: NotificationChannel;
  toAddress: string | null;
  scheduledAt: string;
  status: NotificationStatus;
  errorKind: 'retryable' | 'permanent' | null;
  errorMessage: string | null;
  outcomeUnknown: boolean;
  attempts: number;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

/** What "Run statements" would queue, asked before it queues anything. */
export interface RunPreviewDTO {
  profileId: string;
  asOf: string;
  /** Per level of the profile: how many notifications the run would queue at it. */
  levels: { level: number; name: string; count: number }[];
  /** Total that would be queued. */
  toQueue: number;
  /** Accounts already notified at their current level (not notified again). */
  alreadyNotified: number;
  /** Accounts with a higher level already queued (recorded as superseded, nothing lowered). */
  higherQueued: number;
  optedOut: number;
}

export interface NotificationHistoryDTO {
  at: string;
  status: NotificationStatus;
  detail: string;
  template: string | null;
  actor: string;
}

export interface NotificationDetailDTO extends NotificationRowDTO {
  statementId: string;
  subject: string | null;
  body: string;
  messageId: string;
  smtpResponse: string | null;
  history: NotificationHistoryDTO[];
}

export interface NotificationListDTO {
  rows: NotificationRowDTO[];
  /** Matching notifications in total (the list is capped). */
  total: number;
  counts: Partial<Record<NotificationStatus, number>>;
}

export interface StatementFileRowDTO {
  row: number;
  accountNumber: string;
  amountDueCents: number;
  dueDate: string;
  level: number | null;
}

export interface StatementFilePreviewDTO {
  fileName: string;
  rows: StatementFileRowDTO[];
  /** Rows whose account is not in the ledger: nothing is queued for them. */
  unknownAccounts: { row: number; accountNumber: string }[];
  issues: { row: number; column?: string; message: string }[];
  /** How the file was read, when worth knowing: a totals line skipped, the sheet chosen, the encoding. */
  notes: string[];
}

export interface AccountNotificationsDTO {
  optedOut: boolean;
  optOutReason: string | null;
  email: string | null;
  profiles: { id: string; name: string }[];
  recent: NotificationRowDTO[];
}

export interface NotificationSettingsDTO {
  testMode: boolean;
  testAddress: string;
  fromAddress: string;
  fromName: string;
}

const levelInput = z
  .object({
    name: required(60, 'Level name'),
    timing: z.enum(LevelTimings, { message: 'Choose before, on or after the due date.' }),
    days: z.number().int('Days are whole days.').min(0, 'Days cannot be negative.').max(3650, 'At most 3650 days.'),
    emailSubject: trimmed(200, 'Email subject'),
    emailBody: trimmed(20_000, 'Email body'),
    letterBody: trimmed(20_000, 'Letter'),
  })
  .strict();

export const profileInput = z
  .object({
    profileId: id.optional(),
    name: required(80, 'Profile name'),
    divisionId: id.nullable(),
    minBalance: moneyText,
    minDaysPastDue: z.number().int('Days are whole days.').min(-3650).max(3650),
    sendTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time of day as HH:MM (24-hour).'),
    channelMode: z.enum(ChannelModes),
    active: z.boolean(),
    /** Emails carry a one-time payment link ({{pay_link}}; added at the end when the template does not place it). */
    includePayLink: z.boolean().optional(),
    levels: z.array(levelInput).min(1, 'A profile has at least one dunning level.').max(9, 'A profile has at most 9 dunning levels.'),
  })
  .strict();

const fileRow = z
  .object({
    row: z.number().int().min(1),
    accountNumber: required(40, 'Account number'),
    amountDueCents: z.number().int().min(0).max(100_000_000_000),
    dueDate: isoDate,
    level: z.number().int().min(1).max(9).nullable(),
  })
  .strict();

/** 10 MB of file is about 14 MB of base64. */
const MAX_BASE64 = 14 * 1024 * 1024;
const ids = z.array(id).min(1, 'Choose at least one notification.').max(10_000, 'At most 10,000 notifications at a time.');

export const notificationsContract = {
  'statementProfiles.list': channel<ProfileDTO[]>()(z.object({}).strict()),
  'statementProfiles.save': channel<ProfileDTO>()(profileInput),
  'statements.run': channel<BatchDTO>()(z.object({ batchId: id.optional(), profileId: id, asOf: isoDate.optional() }).strict()),
  'statements.previewRun': channel<RunPreviewDTO>()(z.object({ profileId: id, asOf: isoDate.optional() }).strict()),
  'statements.previewFile': channel<StatementFilePreviewDTO>()(
    z
      .object({
        fileName: z.string().trim().min(1, 'The file has no name.').max(255),
        contentBase64: z.string().min(1, 'The file is empty.').max(MAX_BASE64, 'The file is larger than 10 MB.'),
      })
      .strict(),
  ),
  'statements.uploadFile': channel<BatchDTO>()(
    z
      .object({
        batchId: id.optional(),
        profileId: id,
        fileName: required(255, 'File name'),
        rows: z.array(fileRow).min(1, 'The file has no rows.').max(50_000, 'At most 50,000 rows per file.'),
      })
      .strict(),
  ),
  'statements.batches': channel<BatchDTO[]>()(z.object({ profileId: id.optional(), limit: z.number().int().min(1).max(500).optional() }).strict()),
  'statements.batch': channel<BatchDetailDTO>()(z.object({ batchId: id }).strict()),
  'statements.pdf': channel<FileDownloadDTO>()(z.object({ statementId: id }).strict()),
  'statements.lettersPdf': channel<FileDownloadDTO>()(z.object({ letterFileId: id }).strict()),
  'notifications.list': channel<NotificationListDTO>()(
    z
      .object({
        view: z.enum(['all', 'errors']),
        batchId: id.optional(),
        profileId: id.optional(),
        accountId: id.optional(),
        /** Account number (exact or its start) or words of the payer's name. */
        search: z.string().trim().max(200).optional(),
        level: z.number().int().min(1).max(9).optional(),
        status: z.enum(NotificationStatuses).optional(),
        limit: z.number().int().min(1).max(20_000).optional(),
      })
      .strict(),
  ),
  'notifications.get': channel<NotificationDetailDTO>()(z.object({ notificationId: id }).strict()),
  'notifications.retry': channel<{ retried: number }>()(z.object({ notificationIds: ids }).strict()),
  'notifications.cancel': channel<{ cancelled: number; optedOut: number }>()(
    z.object({ notificationIds: ids, optOut: z.boolean(), reason: trimmed(300, 'Reason').optional() }).strict(),
  ),
  'notifications.onDemand': channel<NotificationRowDTO>()(
    z
      .object({
        batchId: id.optional(),
        accountId: id,
        profileId: id,
        channel: z.enum(['auto', 'email', 'letter']),
      })
      .strict(),
  ),
  'notifications.setOptOut': channel<AccountNotificationsDTO>()(
    z.object({ accountId: id, optedOut: z.boolean(), reason: trimmed(300, 'Reason').optional() }).strict(),
  ),
  'notifications.forAccount': channel<AccountNotificationsDTO>()(z.object({ accountId: id }).strict()),
  'notifications.getSettings': channel<NotificationSettingsDTO>()(z.object({}).strict()),
  'notifications.updateSettings': channel<NotificationSettingsDTO>()(
    z
      .object({
        testMode: z.boolean(),
        testAddress: z.string().trim().max(254).refine((s) => s === '' || z.string().email().safeParse(s).success, 'Enter a valid email address.'),
        fromAddress: z.string().trim().max(254).refine((s) => s === '' || z.string().email().safeParse(s).success, 'Enter a valid email address.'),
        fromName: trimmed(120, 'Sender name'),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.testMode && !v.testAddress) ctx.addIssue({ code: 'custom', path: ['testAddress'], message: 'Test mode sends every message to a test address: enter one.' });
      }),
  ),
} as const;
