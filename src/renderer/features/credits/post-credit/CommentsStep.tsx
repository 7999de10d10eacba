import { Button, Group, Stack, TextInput, Textarea, Title } from '@mantine/core';
import type { Dispatch } from 'react';
import { commentMax } from './field-checks';
import { accountsToPost, type PostCreditAction, type PostCreditState } from './wizard-reducer';

/** Step 4: classification and comments (the contract's limits), then Post. */
export function CommentsStep({ state, dispatch, onPost }: { state: PostCreditState; dispatch: Dispatch<PostCreditAction>; onPost(which: PostCreditState['accounts']): void }) {
  const { fieldErrors, busy, accounts } = state;
  return (
    <Stack>
      <Title order={2} size="h4" tabIndex={-1} data-step-heading>
        Comments
      </Title>
      <TextInput label="Classification" description="Your company name" value={state.classification} onChange={(e) => dispatch({ type: 'commentTyped', field: 'classification', value: e.currentTarget.value })} error={fieldErrors.classification} />
      <Textarea
        label="Public comment"
        description={`The payer sees it on statements and receipts. ${state.publicComment.trim().length} of ${commentMax('publicComment')} characters.`}
        autosize
        minRows={1}
        value={state.publicComment}
        onChange={(e) => dispatch({ type: 'commentTyped', field: 'publicComment', value: e.currentTarget.value })}
        error={fieldErrors.publicComment}
        data-testid="public-comment"
      />
      <Textarea
        label="Private comment"
        description={`Office only: never shown to the payer. ${state.privateComment.trim().length} of ${commentMax('privateComment')} characters.`}
        autosize
        minRows={1}
        value={state.privateComment}
        onChange={(e) => dispatch({ type: 'commentTyped', field: 'privateComment', value: e.currentTarget.value })}
        error={fieldErrors.privateComment}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => dispatch({ type: 'back' })} disabled={busy}>
          Back
        </Button>
        <Button onClick={() => onPost(accountsToPost(state))} loading={busy} data-testid="post-credit">
          Post credit{accounts.length > 1 ? ` to ${accounts.length} accounts` : ''}
        </Button>
      </Group>
    </Stack>
  );
}
