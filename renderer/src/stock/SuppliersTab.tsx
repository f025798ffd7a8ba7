import { Badge, Button, Group, Kbd, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { SupplierForm, type Supplier } from './SupplierForm';

/** The suppliers: name, GSTIN, drug licences, phone; add one or edit one (a supplier no longer used is made inactive, never deleted). */
export function SuppliersTab() {
  const suppliers = useMethod('pharmacy.suppliers', {});
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">{suppliers.data?.length ?? 0} suppliers</Text>
        <Button size="xs" onClick={() => setEditing('new')}>Add supplier</Button>
      </Group>
      {editing && (
        <SupplierForm key={editing === 'new' ? 'new' : editing.id} title={editing === 'new' ? 'New supplier' : `Edit ${editing.name}`} supplier={editing === 'new' ? null : editing} onCancel={() => setEditing(null)} onSaved={() => setEditing(null)} />
      )}
      <Table striped withTableBorder fz="sm" aria-label="Suppliers">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>GSTIN</Table.Th><Table.Th>Drug licences</Table.Th><Table.Th>Phone</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {suppliers.data?.length === 0 && <Table.Tr><Table.Td colSpan={5}>No suppliers yet.</Table.Td></Table.Tr>}
          {(suppliers.data ?? []).map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{s.name} {!s.active && <Badge size="xs" color="gray">inactive</Badge>}</Table.Td>
              <Table.Td>{s.gstin ?? '—'}</Table.Td><Table.Td>{s.drugLicences.join(', ') || '—'}</Table.Td><Table.Td>{s.phone ?? '—'}</Table.Td>
              <Table.Td><Button size="compact-xs" variant="subtle" onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>Edit</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">Enter saves a supplier, <Kbd size="xs">Esc</Kbd> cancels.</Text>
    </Stack>
  );
}
