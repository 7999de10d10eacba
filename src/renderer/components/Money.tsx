import { Text, type TextProps } from '@mantine/core';
import { formatMoney } from '../../shared/money';

/** An amount in cents, right-aligned digits; credits (negative balances) in green. */
export function Money({ cents, colorCredit = false, ...rest }: { cents: number; colorCredit?: boolean } & TextProps) {
  return (
    <Text component="span" ff="monospace" c={colorCredit && cents < 0 ? 'teal.7' : undefined} style={{ whiteSpace: 'nowrap' }} {...rest}>
      {formatMoney(cents)}
    </Text>
  );
}
