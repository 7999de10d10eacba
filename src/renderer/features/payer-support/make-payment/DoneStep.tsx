import { Button, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import type { Ref } from 'react';
import type { PaymentDetailDTO } from '../../../../shared/contract/dto';
import { formatMoney } from '../../../../shared/money';
import { METHOD_LABELS } from '../labels';
import { ReceiptView, printReceipt } from '../ReceiptView';

/** Step 3: "Thanks for the payment!", the reference, and the receipt to print. */
export function DoneStep({ payment: done, headingRef, onDone }: { payment: PaymentDetailDTO; headingRef: Ref<HTMLHeadingElement>; onDone(): void }) {
  return (
    <>
      <Stack align="center" gap="sm" py="md">
        <ThemeIcon color="green" size={48} radius="xl">
          <IconCheck size={28} />
        </ThemeIcon>
        <Title order={2} size="h3" ref={headingRef} tabIndex={-1}>
          Thanks for the payment!
        </Title>
        <Text>
          Reference number{' '}
          <Text span ff="monospace" fw={700} data-testid="payment-reference">
            {done.reference}
          </Text>
        </Text>
        <Text c="dimmed" size="sm">
          {formatMoney(done.amountCents)} · {METHOD_LABELS[done.method]} · {done.receiptEmail ? `an email receipt will be sent to ${done.receiptEmail}` : 'no email receipt'}
        </Text>
        <Group>
          <Button variant="default" onClick={printReceipt}>
            Print receipt
          </Button>
          <Button onClick={onDone}>Done</Button>
        </Group>
      </Stack>
      <ReceiptView payment={done} />
    </>
  );
}
