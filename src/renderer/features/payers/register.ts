import { accountActions } from '../payer-support/account-slots';
import { EditPayerButton } from './EditPayerButton';
import { NewInvoiceButton } from '../invoices/InvoiceForm';

accountActions.push(EditPayerButton, NewInvoiceButton);
