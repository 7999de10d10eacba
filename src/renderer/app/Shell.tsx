import { Anchor, AppShell, Badge, Box, Button, Group, Menu, NavLink, ScrollArea, Select, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { Fragment, useEffect, useState } from 'react';
import { RoleLabels } from '../../shared/roles';
import { useQuery } from '../api/hooks';
import { useDivision } from '../stores/division';
import { useNav } from '../stores/navigation';
import { useSession } from '../stores/session';
import { FindPayer } from './FindPayer';
import { headerSlots } from './header-slots';
import { pages } from './pages';

const SECTIONS = ['Front desk', 'Billing', 'Administration'] as const;

// long: the app frame: navigation, header and routed page; the menu is a list read top to bottom
export function Shell() {
  const { session, signOut } = useSession();
  const role = session!.user.role;
  const { route, go } = useNav();
  const [finding, setFinding] = useState(false);
  const divisions = useQuery('divisions.list', {}, { refreshOn: ['divisions'] });
  const { divisionId, setDivision } = useDivision();
  // Works from inside text fields too: the clerk is usually typing somewhere when a payer calls.
  useHotkeys([['mod+K', () => setFinding(true)]], []);

  // A remembered division that no longer exists falls back to "All divisions".
  useEffect(() => {
    if (divisionId && divisions.data && !divisions.data.some((d) => d.id === divisionId)) setDivision(null);
  }, [divisionId, divisions.data, setDivision]);

  const known = pages[route.page];
  const page = known ?? pages.home!;
  const allowed = page.roles.includes(role);
  const Page = page.component;
  // The screen's identity: view parameters (wizard step, search text) change without a remount.
  const params = route.params ?? {};
  const pageKey = route.page + JSON.stringify(Object.entries(params).filter(([k]) => !page.viewParams?.includes(k)));
  const navItems = Object.entries(pages)
    .filter(([, p]) => p.nav && p.roles.includes(role))
    .sort((a, b) => a[1].nav!.order - b[1].nav!.order);

  // A new screen: focus its heading, unless the screen put focus on its own first field. A screen
  // that loads its data first draws its heading a moment later, and a closing dialog (the payer
  // finder) hands focus back to the page body: keep looking for a short while (about a second).
  useEffect(() => {
    let frames = 0;
    let handle = 0;
    // Only focus the clerk did not move elsewhere meanwhile is taken: where the screen change started, or nowhere.
    const startedAt = document.activeElement;
    const tryFocus = () => {
      const main = document.querySelector('main');
      const heading = document.querySelector<HTMLElement>('[data-page-heading]');
      const dialogOpen = document.querySelector('[role="dialog"]') !== null;
      const active = document.activeElement;
      if (main?.contains(active)) return;
      if (frames > 0 && active !== startedAt && active !== document.body && active !== null && !dialogOpen) return;
      if (heading && !dialogOpen) heading.focus();
      if (document.activeElement !== heading && ++frames < 60) handle = requestAnimationFrame(tryFocus);
    };
    tryFocus();
    return () => cancelAnimationFrame(handle);
  }, [pageKey]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Text fw={800} c="blue.8" size="lg">
              Ledgerdesk
            </Text>
            <Select
              aria-label="Division"
              size="xs"
              w={200}
              data={[{ value: '', label: 'All divisions' }, ...(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
              value={divisionId ?? ''}
              onChange={(v) => setDivision(v ? v : null)}
              allowDeselect={false}
              data-testid="division-select"
            />
            <Button variant="default" size="xs" onClick={() => setFinding(true)} aria-keyshortcuts="Control+K Meta+K">
              Find payer… <Badge ml={6} size="xs" variant="outline" color="dark">Ctrl+K</Badge>
            </Button>
          </Group>
          <Group gap="md" wrap="nowrap">
            {headerSlots.map((Slot, i) => (
              <Slot key={i} />
            ))}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton data-testid="user-menu" title="User menu">
                  <Stack gap={0} align="flex-end">
                    <Text size="sm" fw={600}>
                      {session!.user.displayName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {RoleLabels[role]}
                    </Text>
                  </Stack>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {SECTIONS.map((section) => {
            const items = navItems.filter(([, p]) => p.nav!.section === section);
            if (items.length === 0) return null;
            return (
              <Fragment key={section}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
                  {section}
                </Text>
                {items.map(([key, p]) => (
                  <NavLink key={key} label={p.nav!.label} active={route.page === key} onClick={() => go(key)} component="button" />
                ))}
              </Fragment>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Box maw={1280} mx="auto">
          {allowed ? (
            <Page key={pageKey} params={params} />
          ) : (
            <Stack>
              <Title order={1} size="h2">
                {known ? 'Not available to your role' : 'Page not found'}
              </Title>
              <Text>
                {known ? 'This page is not available to your role.' : 'There is no page at this address.'}{' '}
                <Anchor component="button" onClick={() => go('home')}>
                  Go to Home
                </Anchor>
              </Text>
            </Stack>
          )}
        </Box>
      </AppShell.Main>
      <FindPayer opened={finding} onClose={() => setFinding(false)} />
    </AppShell>
  );
}
