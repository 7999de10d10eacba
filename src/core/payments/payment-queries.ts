import { paymentsContract } from '../../shared/contract/payments';
import { fail } from '../../shared/result';
import { ANY_ROLE } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import { loadPaymentDetail } from './payment-views';

export const getPayment = defineQuery({
  name: 'payments.get',
  roles: ANY_ROLE,
  input: paymentsContract['payments.get'].input,
  run: ({ db }, i) => loadPaymentDetail(db, i.paymentId),
});

export const getPaymentByReference = defineQuery({
  name: 'payments.getByReference',
  roles: ANY_ROLE,
  input: paymentsContract['payments.getByReference'].input,
  run: async ({ db }, i) => {
    const p = await db.selectFrom('payments').select('id').where('reference', '=', i.reference.toUpperCase()).executeTakeFirst();
    if (!p) fail('NOT_FOUND', `No payment has the reference ${i.reference}.`, { field: 'reference' });
    return loadPaymentDetail(db, p.id);
  },
});
