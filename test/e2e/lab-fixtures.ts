import { expect, setUpClinic, type Host } from './fixtures';

/**
 * A clinic with a receptionist (rita), a lab technician (lata) and Dr Mehta, who has seen Ramesh
 * Kulkarni and ordered these tests (catalogue codes); the doctor's session, the orders and Ramesh's id.
 */
export async function labOrdered(host: Host, codes: string[]): Promise<{ doctor: string; orderIds: string[]; patientId: string }> {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  await host.api('staff.create', { username: 'lata', fullName: 'Lata Pawar', password: 'lata-pass-1', roles: ['labtech'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const rita = (await host.api('auth.login', { username: 'rita', password: 'rita-pass-1' })).value.token;
  const reg = await host.api('patients.register', { patient: { givenName: 'Ramesh', familyName: 'Kulkarni', gender: 'male', ageYears: 58, mobile: '9823012345' } }, rita);
  const { visitId } = (await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, rita)).value;
  const doctor = (await host.api('auth.login', { username: 'drmehta', password: 'mehta-pass-1' })).value.token;
  await host.api('queue.callNext', {}, doctor);
  const tests = (await host.api('labs.tests', {}, doctor)).value as { id: string; code: string }[];
  const order = await host.api('labs.order', { visitId, testIds: codes.map((c) => tests.find((t) => t.code === c)!.id) }, doctor);
  expect(order.ok).toBe(true);
  return { doctor, orderIds: (order.value as { orderId: string }[]).map((o) => o.orderId), patientId: reg.value.patient.id };
}
