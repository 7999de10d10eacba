import { Stack, Text } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../stores/session';

export function HomePage() {
  const name = useSession((s) => s.session?.user.displayName ?? '');
  return (
    <Stack>
      <PageHeader title="Home" subtitle={`Welcome, ${name}.`} />
      <Text c="dimmed">Today at a glance.</Text>
    </Stack>
  );
}
