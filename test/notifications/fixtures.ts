import type { TestLedger } from '../helpers/ledger';

export const LEVELS = [
  {
    name: 'Statement',
    timing: 'on' as const,
    days: 0,
    emailSubject: 'Your statement from {{office_name}}: {{amount_due}} due',
    emailBody: 'Dear {{payer_name}},\n\nYour statement for account {{account_number}} is attached. Balance: {{balance}}. Oldest due date: {{oldest_due_date}}.\nAging: current {{aging_current}}, 1-30 {{aging_1_30}}, 31-60 {{aging_31_60}}, 61-90 {{aging_61_90}}, over 90 {{aging_over_90}}.\nPlease quote {{pay_by_reference}} when you pay.\n\n{{office_name}}\n{{office_contact}}',
    letterBody: 'Dear {{payer_name}},\n\nYour statement for account {{account_number}} follows. Amount due: {{amount_due}}.',
  },
  {
    name: 'Reminder',
    timing: 'after' as const,
    days: 30,
    emailSubject: 'Reminder: {{amount_due}} is {{days_past_due}} days past due',
    emailBody: 'Dear {{payer_name}},\n\nA reminder that {{amount_due}} on account {{account_number}} is past due since {{oldest_due_date}}.\nQuote {{pay_by_reference}}.',
    letterBody: 'Dear {{payer_name}},\n\nReminder: {{amount_due}} is past due.',
  },
  {
    name: 'Final notice',
    timing: 'after' as const,
    days: 60,
    emailSubject: 'FINAL NOTICE: account {{account_number}}',
    emailBody: 'Dear {{payer_name}},\n\nThis is a final notice: {{amount_due}} is {{days_past_due}} days past due.\n{{office_contact}}',
    letterBody: 'Dear {{payer_name}},\n\nFINAL NOTICE. {{amount_due}} is {{days_past_due}} days past due.',
  },
];

export function profileInput(over: Record<string, unknown> = {}) {
  return { name: 'Monthly statements', divisionId: null, minBalance: '0.01', minDaysPastDue: -30, sendTime: '00:00', channelMode: 'email-else-letter' as const, active: true, levels: LEVELS, ...over };
}

export async function saveProfile(t: TestLedger, over: Record<string, unknown> = {}) {
  return t.run(t.admin, 'statementProfiles.save', profileInput(over));
}
