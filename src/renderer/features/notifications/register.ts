import { accountActions } from '../payer-support/account-slots';
import { OnDemandButton } from './OnDemandButton';

/** Imported for its side effect by app/pages.tsx: the account page's "Send statement" button. */
if (!accountActions.includes(OnDemandButton)) accountActions.push(OnDemandButton);
