import { accountActions } from '../payer-support/account-slots';
import { EditPayerButton } from './EditPayerButton';

accountActions.push(EditPayerButton);
