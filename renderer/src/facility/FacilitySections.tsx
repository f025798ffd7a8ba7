import { Button, Checkbox, Grid, Group, Image, MultiSelect, NumberInput, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import type { FacilityValues } from './FacilityScreen';

/* The facility form's sections, each over the one form the screen holds (saved together with Ctrl+S). */

type Form = UseFormReturnType<FacilityValues>;

/** Name, phone, address and what the letterhead prints (timings, tagline, GSTIN, logo). */
export function ClinicSection({ form }: { form: Form }) {
  function onLogo(file: File | null) {
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => form.setFieldValue('letterhead.logo', typeof reader.result === 'string' ? reader.result : null);
    reader.readAsDataURL(file);
  }
  return (
    <Paper withBorder p="md" component="section" aria-label="Clinic and letterhead">
      <Title order={4} mb="xs">
        Clinic and letterhead
      </Title>
      <Grid gap="xs">
        <Grid.Col span={6}>
          <TextInput label="Facility name" description="Letters, digits, _ . ( ) , / and single spaces" required {...form.getInputProps('name')} />
        </Grid.Col>
        <Grid.Col span={6}>
          <TextInput label="Clinic phone" {...form.getInputProps('phone')} />
        </Grid.Col>
        <Grid.Col span={12}>
          <Textarea label="Address on the letterhead" autosize minRows={2} {...form.getInputProps('address')} />
        </Grid.Col>
        <Grid.Col span={6}>
          <TextInput label="Timings on the letterhead" placeholder="Mon-Sat 9 am-1 pm, 5-8 pm" {...form.getInputProps('letterhead.timingsText')} />
        </Grid.Col>
        <Grid.Col span={3}>
          <TextInput label="Tagline" {...form.getInputProps('letterhead.tagline')} />
        </Grid.Col>
        <Grid.Col span={3}>
          <TextInput label="GSTIN" {...form.getInputProps('letterhead.gstin')} />
        </Grid.Col>
        <Grid.Col span={3}>
          <Select
            label="Temperatures in"
            description="Shown on screen and paper; either can be typed"
            data={[
              { value: 'F', label: '°F (Fahrenheit)' },
              { value: 'C', label: '°C (Celsius)' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('letterhead.temperatureUnit')}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <Group align="center">
            {form.values.letterhead.logo && <Image src={form.values.letterhead.logo} h={48} w="auto" alt="Clinic logo" />}
            <input type="file" accept="image/png,image/jpeg" aria-label="Logo (PNG or JPEG, up to 256 KB)" onChange={(e) => onLogo(e.currentTarget.files?.[0] ?? null)} />
            {form.values.letterhead.logo && (
              <Button size="xs" variant="subtle" color="red" onClick={() => form.setFieldValue('letterhead.logo', null)}>
                Remove logo
              </Button>
            )}
            {form.errors['letterhead.logo'] && <Text c="red" size="sm">{form.errors['letterhead.logo']}</Text>}
          </Group>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}

/** Options of a reference value set (a child set waits for its parent's code). */
function useOptions(setName: string, parentCode?: string | null) {
  const q = useMethod('reference.valueSet', { setName, parentCode: parentCode ?? null }, { enabled: parentCode !== undefined ? !!parentCode : true });
  return (q.data ?? []).map((o) => ({ value: o.code, label: o.label }));
}

/** The Health Facility Registry's fields: ownership, type, services, address (LGD), location and contacts. */
export function RegistryFields({ form }: { form: Form }) {
  const v = form.values.registration;
  const ownership = useOptions('ownership');
  const ownershipSub = useOptions('ownership_subtype', v.ownershipCode ?? '');
  const systems = useOptions('system_of_medicine');
  const types = useOptions('facility_type');
  const subtypes = useOptions('facility_subtype', v.facilityTypeCode ?? '');
  const statuses = useOptions('operational_status');
  const specialities = useOptions('speciality');
  const ipd = v.typesOfService.includes('IPD');

  return (
    <Grid gap="xs">
      <Grid.Col span={4}>
        <Select label="Ownership" required data={ownership} {...form.getInputProps('registration.ownershipCode')} onChange={(x: string | null) => { form.setFieldValue('registration.ownershipCode', x); form.setFieldValue('registration.ownershipSubTypeCode', null); }} />
      </Grid.Col>
      <Grid.Col span={4}>
        <Select label="Ownership sub-type" data={ownershipSub} disabled={ownershipSub.length === 0} {...form.getInputProps('registration.ownershipSubTypeCode')} />
      </Grid.Col>
      <Grid.Col span={4}>
        <Select label="Operational status" required data={statuses} {...form.getInputProps('registration.operationalStatus')} />
      </Grid.Col>
      <Grid.Col span={4}>
        <Select label="Facility type" required data={types} {...form.getInputProps('registration.facilityTypeCode')} onChange={(x: string | null) => { form.setFieldValue('registration.facilityTypeCode', x); form.setFieldValue('registration.facilitySubTypeCode', null); }} />
      </Grid.Col>
      <Grid.Col span={4}>
        <Select label="Facility sub-type" data={subtypes} disabled={subtypes.length === 0} {...form.getInputProps('registration.facilitySubTypeCode')} />
      </Grid.Col>
      <Grid.Col span={4}>
        <Checkbox.Group label="Type of service" required {...form.getInputProps('registration.typesOfService')}>
          <Group mt={6}>
            <Checkbox value="OPD" label="OPD" />
            <Checkbox value="IPD" label="IPD" />
          </Group>
        </Checkbox.Group>
      </Grid.Col>
      <Grid.Col span={6}>
        <MultiSelect label="Systems of medicine" required data={systems} {...form.getInputProps('registration.systemsOfMedicine')} />
      </Grid.Col>
      <Grid.Col span={6}>
        <MultiSelect label="Specialities" required searchable data={specialities} {...form.getInputProps('registration.specialities')} />
      </Grid.Col>
      {ipd && (
        <>
          <Grid.Col span={3}>
            <NumberInput label="Beds" min={0} {...form.getInputProps('registration.beds')} />
          </Grid.Col>
          <Grid.Col span={3}>
            <NumberInput label="Ventilators" min={0} {...form.getInputProps('registration.ventilators')} />
          </Grid.Col>
        </>
      )}
      {/* In the same grid: the address fields flow on from the registry fields. */}
      <AddressFields form={form} />
    </Grid>
  );
}

/** Where the clinic is (columns of the registry grid): address, state, district and sub-district (LGD), pincode and coordinates; then its contacts. */

export function AddressFields({ form }: { form: Form }) {
  const v = form.values.registration;

  async function fillFromPincode() {
    const r = await call('reference.pincode', { pincode: v.pincode });
    if (!r.ok) return form.setFieldError('registration.pincode', r.error.message);
    if (r.value.latitude === null) return notifications.show({ color: 'orange', message: `No coordinates known for ${v.pincode}${r.value.offices.length === 0 ? ' (load the pincode directory below)' : ''}.` });
    form.setFieldValue('registration.latitude', r.value.latitude);
    form.setFieldValue('registration.longitude', r.value.longitude ?? '');
    notifications.show({ message: `Location of ${r.value.offices[0]} (${r.value.district}) filled in; adjust it to the clinic's own.` });
  }

  return (
    <>
      <Grid.Col span={6}>
        <TextInput label="Address line 1" required {...form.getInputProps('registration.addressLine1')} />
      </Grid.Col>
      <Grid.Col span={6}>
        <TextInput label="Address line 2" {...form.getInputProps('registration.addressLine2')} />
      </Grid.Col>
      <LgdFields form={form} />
      <Grid.Col span={3}>
        <Select label="Region" required data={[{ value: 'U', label: 'Urban' }, { value: 'R', label: 'Rural' }]} {...form.getInputProps('registration.region')} />
      </Grid.Col>
      <Grid.Col span={3}>
        <TextInput label="Pincode" required {...form.getInputProps('registration.pincode')} />
      </Grid.Col>
      <Grid.Col span={2}>
        <NumberInput label="Latitude" required decimalScale={6} hideControls {...form.getInputProps('registration.latitude')} />
      </Grid.Col>
      <Grid.Col span={2}>
        <NumberInput label="Longitude" required decimalScale={6} hideControls {...form.getInputProps('registration.longitude')} />
      </Grid.Col>
      <Grid.Col span={2}>
        <Button mt={24} size="xs" variant="default" disabled={!/^[1-9]\d{5}$/.test(v.pincode)} onClick={() => void fillFromPincode()}>
          Use pincode's location
        </Button>
      </Grid.Col>
      <Grid.Col span={3}>
        <TextInput label="Mobile" required {...form.getInputProps('registration.mobile')} />
      </Grid.Col>
      <Grid.Col span={1}>
        <TextInput label="STD" {...form.getInputProps('registration.landlineStd')} />
      </Grid.Col>
      <Grid.Col span={2}>
        <TextInput label="Landline" {...form.getInputProps('registration.landline')} />
      </Grid.Col>
      <Grid.Col span={3}>
        <TextInput label="Email" {...form.getInputProps('registration.email')} />
      </Grid.Col>
      <Grid.Col span={3}>
        <TextInput label="Website" {...form.getInputProps('registration.website')} />
      </Grid.Col>
    </>
  );
}

/** State, district and sub-district from the LGD directory; choosing one clears the ones under it. */
function LgdFields({ form }: { form: Form }) {
  const v = form.values.registration;
  const states = useMethod('reference.lgdStates', {});
  const districts = useMethod('reference.lgdDistricts', { stateCode: v.stateLgd ?? 0 }, { enabled: !!v.stateLgd });
  const subdistricts = useMethod('reference.lgdSubdistricts', { districtCode: v.districtLgd ?? 0 }, { enabled: !!v.districtLgd });
  return (
    <>
      <Grid.Col span={4}>
        <Select
          label="State"
          required
          searchable
          data={(states.data ?? []).map((s) => ({ value: String(s.code), label: s.name }))}
          value={v.stateLgd ? String(v.stateLgd) : null}
          error={form.errors['registration.stateLgd']}
          onChange={(x) => form.setValues({ registration: { ...v, stateLgd: x ? Number(x) : null, districtLgd: null, subDistrictLgd: null } })}
        />
      </Grid.Col>
      <Grid.Col span={4}>
        <Select
          label="District"
          required
          searchable
          disabled={!v.stateLgd}
          nothingFoundMessage="No districts loaded for this state: import the LGD directory below"
          data={(districts.data ?? []).map((d) => ({ value: String(d.code), label: d.name }))}
          value={v.districtLgd ? String(v.districtLgd) : null}
          error={form.errors['registration.districtLgd']}
          onChange={(x) => form.setValues({ registration: { ...v, districtLgd: x ? Number(x) : null, subDistrictLgd: null } })}
        />
      </Grid.Col>
      <Grid.Col span={4}>
        <Select
          label="Sub-district"
          required
          searchable
          disabled={!v.districtLgd}
          data={(subdistricts.data ?? []).map((d) => ({ value: String(d.code), label: d.name }))}
          value={v.subDistrictLgd ? String(v.subDistrictLgd) : null}
          error={form.errors['registration.subDistrictLgd']}
          onChange={(x) => form.setFieldValue('registration.subDistrictLgd', x ? Number(x) : null)}
        />
      </Grid.Col>
    </>
  );
}

/** Opening hours per weekday: open or closed, a morning range and optionally an evening one. */
export function TimingsEditor({ form }: { form: Form }) {
  const v = form.values.registration;
  return (
    <>
    <Text size="sm" fw={500} mt="sm">
      Timings
    </Text>
    {form.errors['registration.timings'] && <Text c="red" size="xs">{form.errors['registration.timings']}</Text>}
    <Stack gap={4}>
      {v.timings.map((t, i) => (
        <Group key={t.day} gap="xs">
          <Checkbox
            w={70}
            label={t.day}
            checked={t.open}
            onChange={(e) => form.setFieldValue(`registration.timings.${i}`, { ...t, open: e.currentTarget.checked, ranges: e.currentTarget.checked && t.ranges.length === 0 ? [{ from: '09:00', to: '13:00' }] : t.ranges })}
          />
          {t.open &&
            t.ranges.map((_, j) => (
              <Group gap={4} key={j}>
                <TextInput aria-label={`${t.day} opens`} w={70} size="xs" {...form.getInputProps(`registration.timings.${i}.ranges.${j}.from`)} />
                <TextInput aria-label={`${t.day} closes`} w={70} size="xs" {...form.getInputProps(`registration.timings.${i}.ranges.${j}.to`)} error={form.errors[`registration.timings.${i}.ranges.${j}`]} />
              </Group>
            ))}
          {t.open && t.ranges.length < 2 && (
            <Button size="compact-xs" variant="subtle" onClick={() => form.insertListItem(`registration.timings.${i}.ranges`, { from: '17:00', to: '20:00' })}>
              + evening
            </Button>
          )}
        </Group>
      ))}
    </Stack>
    </>
  );
}
