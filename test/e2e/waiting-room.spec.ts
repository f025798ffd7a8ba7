import http from 'node:http';
import { expect, logIn, setUpClinic, test, ADMIN } from './fixtures';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test('the administrator turns on the waiting-room TV; it shows tokens and initials live as the doctor calls patients', async ({ page, host, browser }) => {
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const schedule = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '23:45', slotMinutes: 15, maxPerSlot: 4, mode: 'in-person' }));
  await host.api('doctors.upsert', { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: 'MMC-1', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule }, admin);
  const names = [['Sunita', 'Bhattacharya'], ['Farhan', 'Qureshi'], ['Lakshmi', 'Iyer']] as const;
  for (const [i, [givenName, familyName]] of names.entries()) {
    const p = (await host.api('patients.register', { patient: { givenName, familyName, gender: 'female', ageYears: 30 + i, mobile: `98220000${10 + i}` } }, admin)).value.patient;
    expect((await host.api('queue.checkIn', { patientId: p.id, doctorId: dr.id, ...(i === 2 ? { priority: 'urgent' } : {}) }, admin)).ok).toBe(true);
  }

  // The administrator turns the display on at the Sync screen and copies the link.
  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('link', { name: /Sync/ }).click();
  const panel = page.getByRole('region', { name: 'Waiting-room display' });
  await panel.getByLabel('Port').fill(String(await freePort()));
  await panel.getByRole('button', { name: 'Use this port' }).click();
  // The switch follows the saved setting, so it turns on once the workstation has it.
  await panel.getByLabel('Show the queue on a waiting-room TV').click();
  await expect(panel.getByLabel('Show the queue on a waiting-room TV')).toBeChecked();
  const link = (await panel.getByLabel('Links for the TV').locator('[style*="user-select"]').first().textContent()) ?? '';
  expect(link).toMatch(/^http:\/\/[\d.]+:\d+\/display\?key=[0-9a-f]{32}$/);

  // The TV: a plain browser, no login. The host listens on loopback in tests.
  const tv = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  // The workstation opens the port within a second of the switch.
  await expect(async () => expect((await tv.goto(link.replace(/\/\/[\d.]+:/, '//127.0.0.1:')))?.status()).toBe(200)).toPass();
  const doctor = tv.getByRole('region', { name: 'Dr Anil Mehta' });
  await expect(doctor.getByTestId('next-token')).toHaveText(['3', '1', '2']);
  await expect(doctor.getByText('L. I.')).toHaveCount(0);
  await expect(tv.locator('body')).not.toContainText('Sunita');

  // The doctor calls the next patient (the urgent one): the TV shows it as now calling, without a reload.
  const doctorToken = (await host.api('auth.login', { username: 'drmehta', password: 'mehta-pass-1' })).value.token as string;
  expect((await host.api('queue.callNext', {}, doctorToken)).ok).toBe(true);
  await expect(doctor.getByTestId('now-calling')).toHaveText('3');
  await expect(doctor.getByText('L. I.')).toBeVisible();
  await expect(doctor.getByTestId('next-token')).toHaveText(['1', '2']);
  await tv.screenshot({ path: test.info().outputPath('waiting-room.png') });

  // A new link: the TV is told its link no longer works.
  await panel.getByRole('button', { name: /New link/ }).click();
  expect((await host.api('queue.setStatus', { visitId: (await host.api('queue.list', {}, admin)).value[0].visitId, status: 'done' }, admin)).ok).toBe(true);
  await expect(tv.getByRole('status')).toContainText('link changed');
});
