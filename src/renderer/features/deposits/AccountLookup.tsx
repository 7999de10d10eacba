import { Box, Paper, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { forwardRef, useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { AccountSummaryDTO } from '../../../shared/contract/dto';
import { formatMoney } from '../../../shared/money';
import { call } from '../../api/client';

interface Props {
  label: string;
  divisionId: string | null;
  value: AccountSummaryDTO | null;
  onChange(a: AccountSummaryDTO | null): void;
  /** Called when Enter is pressed with an account chosen (e.g. move to the amount field). */
  onEnter?(): void;
  error?: string | null;
  testId?: string;
  autoFocus?: boolean;
}

/**
 * Account lookup as you type: account number prefix or name words (payers.search). ↑/↓ move through
 * the matches, Enter picks one; an exact account number picks itself.
 */
// long: one combobox: input, keyboard handling and the listbox share the search state (ARIA pattern)
export const AccountLookup = forwardRef<HTMLInputElement, Props>(function AccountLookup({ label, divisionId, value, onChange, onEnter, error, testId, autoFocus }, ref) {
  const [text, setText] = useState(value ? value.accountNumber : '');
  const [debounced] = useDebouncedValue(text, 120);
  const [results, setResults] = useState<AccountSummaryDTO[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const listId = useId();

  useEffect(() => {
    if (!value) return;
    setText(value.accountNumber);
  }, [value]);

  useEffect(() => {
    const q = debounced.trim();
    if (!q || (value && q === value.accountNumber)) {
      setResults([]);
      return;
    }
    let live = true;
    void call('payers.search', { query: q, divisionId, limit: 8 }).then((r) => {
      if (!live || !r.ok) return;
      setResults(r.value.accounts);
      setActive(0);
      setOpen(true);
      const exact = r.value.accounts.filter((a) => a.accountNumber.toLowerCase() === q.toLowerCase());
      if (exact.length === 1) onChange(exact[0]!);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced, divisionId]);

  const pick = (a: AccountSummaryDTO) => {
    onChange(a);
    setText(a.accountNumber);
    setOpen(false);
    setResults([]);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && results.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(results.length - 1, i + 1));
    } else if (e.key === 'ArrowUp' && results.length) {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Escape') {
      setOpen(false);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && results[active] && results[active]!.id !== value?.id) pick(results[active]!);
      else if (value) onEnter?.();
    }
  };

  return (
    <Box pos="relative">
      <TextInput
        ref={ref}
        label={label}
        value={text}
        autoFocus={autoFocus}
        onChange={(e) => {
          setText(e.currentTarget.value);
          if (value && e.currentTarget.value !== value.accountNumber) onChange(null);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        error={error ?? undefined}
        description={value ? `${value.name} · balance ${formatMoney(value.balanceCents)}` : 'Account number or name'}
        role="combobox"
        aria-expanded={open && results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        data-testid={testId}
      />
      {open && results.length > 0 && (
        <Paper withBorder shadow="md" pos="absolute" style={{ zIndex: 20, left: 0, right: 0 }} id={listId} role="listbox" aria-label={`${label} matches`}>
          {results.map((a, i) => (
            <UnstyledButton
              key={a.id}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(a)}
              px="sm"
              py={4}
              w="100%"
              bg={i === active ? 'blue.0' : undefined}
              tabIndex={-1}
            >
              <Text size="sm">
                <Text span ff="monospace" fw={600}>
                  {a.accountNumber}
                </Text>{' '}
                · {a.name} <Text span c="dimmed" size="xs">({formatMoney(a.balanceCents)})</Text>
              </Text>
            </UnstyledButton>
          ))}
        </Paper>
      )}
    </Box>
  );
});
