import { accountActions } from '../payer-support/account-slots';
import { PaymentLinkButton } from './PaymentLinkButton';

accountActions.push(PaymentLinkButton);
