import { Button } from '@mantine/core';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import { useNav } from '../../stores/navigation';

/** "Post Transaction" on a payer's page: Post Credit with this account already filled in. */
export function PostTransactionButton({ detail }: { detail: AccountDetailDTO }) {
  const go = useNav((s) => s.go);
  return (
    <Button variant="default" onClick={() => go('post-credit', { accountId: detail.account.id })} disabled={detail.account.status !== 'active'}>
      Post Transaction
    </Button>
  );
}
