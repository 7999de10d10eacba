import { z } from 'zod';
import { channel } from './define';
import type { AuditCheckDTO, AuditEntryDTO, SecurityAlertDTO, SettingsDTO } from './dto';
import { isTimeZone } from '../dates';
import { id, trimmed } from './fields';
import { Roles } from '../roles';

/** A role rule's roles; an Admin is always added (Admins cannot be locked out). */
const roleList = z
  .array(z.enum(Roles))
  .max(3)
  .transform((rs) => Roles.filter((r) => r === 'admin' || rs.includes(r)));

export const adminContract = {
  'settings.get': channel<SettingsDTO>()(z.object({}).strict()),
  'settings.update': channel<SettingsDTO>()(
    z
      .object({
        idleMinutes: z.number().int().min(1, 'At least 1 minute.').max(480, 'At most 480 minutes.').optional(),
        strictClose: z.boolean().optional(),
        officeName: trimmed(120, 'Office name').optional(),
        officeContact: trimmed(300, 'Office contact').optional(),
        /** IANA zone ('America/New_York'): business dates and times everywhere are the office's. */
        officeTimeZone: z
          .string()
          .trim()
          .max(64)
          .refine((z) => z === '' || isTimeZone(z), 'Choose a time zone from the list (for example America/New_York).')
          .optional(),
        postDatedAfterDays: z.number().int().min(0, 'At least 0 days.').max(30, 'At most 30 days (later dates are refused anyway).').optional(),
        refundApprovalAboveCents: z.number().int().min(0, 'The amount cannot be negative.').max(1e12).nullable().optional(),
        balanceFileRoles: roleList.optional(),
        billFileRoles: roleList.optional(),
        refundApproverRoles: roleList.optional(),
        payerContactRoles: roleList.optional(),
        payerIdentityRoles: roleList.optional(),
      })
      .strict(),
  ),
  'audit.list': channel<AuditEntryDTO[]>()(
    z.object({ entity: z.string().max(60).optional(), entityId: z.string().max(80).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  'audit.verify': channel<AuditCheckDTO>()(z.object({}).strict()),
  /** Admins: alerts the server raised (a refused audit push, its own failed check) and this desk's own. */
  'security.alerts.list': channel<SecurityAlertDTO[]>()(z.object({ includeAcknowledged: z.boolean().optional() }).strict()),
  'security.alerts.acknowledge': channel<SecurityAlertDTO>()(z.object({ id }).strict()),
} as const;
