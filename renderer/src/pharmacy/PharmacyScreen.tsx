import { Grid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { DispensePanel } from './DispensePanel';
import { H1Register } from './H1Register';
import { OtcSale } from './OtcSale';
import { SalesList } from './SalesList';
import { WaitingList } from './WaitingList';

/** The pharmacist's counter: today's prescriptions to dispense, over-the-counter sales, returns, and the H1 register. */
export function PharmacyScreen() {
  const [tab, setTab] = useState<string | null>('dispense');
  return (
    <Stack>
      <Title order={2}>Pharmacy</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="dispense">Dispense</Tabs.Tab>
          <Tabs.Tab value="otc">Over the counter</Tabs.Tab>
          <Tabs.Tab value="returns">Returns</Tabs.Tab>
          <Tabs.Tab value="h1">H1 register</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="dispense" pt="sm">
          <Dispense />
        </Tabs.Panel>
        <Tabs.Panel value="otc" pt="sm">
          <OtcSale />
        </Tabs.Panel>
        <Tabs.Panel value="returns" pt="sm">
          <TodaysSales />
        </Tabs.Panel>
        <Tabs.Panel value="h1" pt="sm">
          <H1Register />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Dispense() {
  const waiting = useMethod('pharmacy.waiting', {});
  const [visitId, setVisitId] = useState<string | null>(null);
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <WaitingList waiting={waiting.data} current={visitId} onOpen={setVisitId} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        {visitId ? <DispensePanel key={visitId} visitId={visitId} onDone={() => void waiting.refetch()} /> : <Text c="dimmed">Open a prescription from the list (type to filter, Enter opens).</Text>}
      </Grid.Col>
    </Grid>
  );
}

/** Today's sales, to take medicines back against. */
function TodaysSales() {
  const sales = useMethod('pharmacy.sales', {});
  if (sales.data?.length === 0) return <Text c="dimmed">Nothing dispensed today.</Text>;
  return <SalesList title="Dispensed today" sales={sales.data ?? []} onChanged={() => void sales.refetch()} />;
}
