import { Group, Kbd, Stack, Tabs, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { today as todayIn } from '../format';
import { useSession } from '../session';
import { AlertsTab } from './AlertsTab';
import { PurchaseEntry } from './PurchaseEntry';
import { ReportsTab } from './ReportsTab';
import { StockTab } from './StockTab';
import { SuppliersTab } from './SuppliersTab';

const TABS = [
  { value: 'purchases', label: 'Purchases' },
  { value: 'stock', label: 'Stock' },
  { value: 'alerts', label: 'Alerts' },
  { value: 'reports', label: 'Reports' },
  { value: 'suppliers', label: 'Suppliers' },
] as const;

/**
 * The stock-keeper's screen (docs/PHARMACY.md, "Screens: Stock"): purchases entered against the
 * supplier's invoice, stock by batch with its corrections, alerts, reports and suppliers. Alt+1…5
 * (or ←/→ on the tabs) moves between the tabs.
 */
export function StockScreen() {
  const { timeZone } = useSession();
  const today = todayIn(timeZone);
  const [tab, setTab] = useState<string>('purchases');
  useHotkeys(TABS.map((t, i): [string, () => void] => [`alt+${i + 1}`, () => setTab(t.value)]), []);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>Stock</Title>
        <Text size="xs" c="dimmed">Tabs: <Kbd size="xs">Alt+1</Kbd>…<Kbd size="xs">Alt+5</Kbd></Text>
      </Group>
      <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((t, i) => (
            <Tabs.Tab key={t.value} value={t.value} rightSection={<Kbd size="xs">Alt+{i + 1}</Kbd>}>{t.label}</Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="purchases" pt="sm"><PurchaseEntry today={today} /></Tabs.Panel>
        <Tabs.Panel value="stock" pt="sm"><StockTab today={today} /></Tabs.Panel>
        <Tabs.Panel value="alerts" pt="sm"><AlertsTab today={today} /></Tabs.Panel>
        <Tabs.Panel value="reports" pt="sm"><ReportsTab today={today} /></Tabs.Panel>
        <Tabs.Panel value="suppliers" pt="sm"><SuppliersTab /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
