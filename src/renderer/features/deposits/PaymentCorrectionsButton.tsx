import { Button } from '@mantine/core';
import { useState } from 'react';
import type { PaymentDetailDTO } from '../../../shared/contract/dto';
import { useRole } from '../../stores/session';
import { PaymentDetailsModal } from './PaymentCorrections';

/** On the payment page: opens Payment Details (un-apply / re-apply, delete, return payment). */
export function PaymentCorrectionsButton({ payment }: { payment: PaymentDetailDTO }) {
  const role = useRole();
  const [open, setOpen] = useState(false);
  if (role === 'csr') return null;
  return (
    <>
      <Button variant="light" onClick={() => setOpen(true)} data-testid="payment-corrections">
        Apply / return…
      </Button>
      <PaymentDetailsModal paymentId={open ? payment.id : null} onClose={() => setOpen(false)} />
    </>
  );
}
