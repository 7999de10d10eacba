import { Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { RoleRule, SettingsDTO } from '../../../shared/contract/dto';
import { RoleLabels, type Role } from '../../../shared/roles';

/** Settings' "who may do what" (issue 14 item 9). Core enforces them; Admins always may. */
const RULES: { key: RoleRule; label: string; description: string }[] = [
  { key: 'balanceFileRoles', label: 'Upload balance files', description: 'File Transfers: universal balance files.' },
  { key: 'billFileRoles', label: 'Upload bill files', description: 'File Transfers: bill files (invoices).' },
  { key: 'refundApproverRoles', label: 'Approve refunds', description: 'Their own refunds need no approval, and they decide refund requests.' },
  { key: 'payerContactRoles', label: 'Edit payer contact details', description: 'Email, phone and postal address.' },
  { key: 'payerIdentityRoles', label: 'Add payers and change identity', description: 'Add Payer; a payer’s name, account number, portal user ID and status.' },
];

const CHOICES: Role[] = ['csr', 'supervisor', 'admin'];

export function RoleRulesFields({ form }: { form: UseFormReturnType<SettingsDTO> }) {
  return (
    <Stack gap="sm" data-testid="role-rules">
      <Title order={2} size="h4">
        Who may do what
      </Title>
      <Text size="sm" c="dimmed">
        Every computer and the server check these where the work is done. Administrators always may.
      </Text>
      {RULES.map((r) => (
        <Checkbox.Group
          key={r.key}
          label={r.label}
          description={r.description}
          value={[...new Set([...form.values[r.key], 'admin'])]}
          onChange={(v) => form.setFieldValue(r.key, CHOICES.filter((c) => c === 'admin' || v.includes(c)))}
          error={form.errors[r.key]}
        >
          <Group mt={6}>
            {CHOICES.map((c) => (
              <Checkbox key={c} value={c} label={RoleLabels[c]} disabled={c === 'admin'} />
            ))}
          </Group>
        </Checkbox.Group>
      ))}
    </Stack>
  );
}
