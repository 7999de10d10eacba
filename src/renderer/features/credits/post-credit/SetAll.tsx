import { Button, Popover, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { amountProblem } from './field-checks';

/** "$ Set all to…": one amount for every account listed. */
export function SetAll({ onApply }: { onApply(v: string): void }) {
  const [opened, setOpened] = useState(false);
  const [v, setV] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const apply = () => {
    const p = amountProblem(v);
    if (p) return setErr(p);
    onApply(v);
    setOpened(false);
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" trapFocus withArrow>
      <Popover.Target>
        <Button variant="light" onClick={() => setOpened((o) => !o)}>
          $ Set all to…
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput label="Amount for every account" leftSection="$" inputMode="decimal" value={v} error={err} onChange={(e) => setV(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && apply()} data-autofocus />
          <Button size="xs" onClick={apply}>
            Set all
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

