import { expect, logIn, setUpClinic, test, ADMIN } from './fixtures';

/** Whether two boxes on the page overlap. */
function overlap(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('at 1366×768 the queue board shows every token number whole, and urgent tags never cover the buttons', async ({ page, host }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const schedule = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '23:45', slotMinutes: 15, maxPerSlot: 4, mode: 'in-person' }));
  await host.api('doctors.upsert', { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: 'MMC-1', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule }, admin);
  const names = [['Sunita', 'Bhattacharya'], ['Farhan', 'Qureshi'], ['Lakshmi', 'Iyer'], ['Venkataraghavan', 'Subramaniam']] as const;
  for (const [i, [givenName, familyName]] of names.entries()) {
    const p = (await host.api('patients.register', { patient: { givenName, familyName, gender: 'female', ageYears: 30 + i, mobile: `98220000${10 + i}` } }, admin)).value.patient;
    await host.api('queue.checkIn', { patientId: p.id, doctorId: dr.id, priority: (['regular', 'urgent', 'emergency', 'urgent'] as const)[i] }, admin);
  }
  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('region', { name: 'Queue board' })).toBeVisible();
  const entries = page.getByTestId('queue-entry');
  await expect(entries).toHaveCount(4);
  for (const entry of await entries.all()) {
    const token = entry.getByLabel(/^Token /);
    const label = (await token.getAttribute('aria-label'))!.replace('Token ', '');
    await expect(token).toHaveText(label);
    // The badge is wide enough for its number (it had shrunk to an empty circle).
    const box = (await token.boundingBox())!;
    const text = (await token.locator('span').first().boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(text.width);
    expect(box.width).toBeGreaterThan(box.height);
    const send = (await entry.getByRole('button', { name: 'Send in' }).boundingBox())!;
    const left = (await entry.getByRole('button', { name: 'Left' }).boundingBox())!;
    for (const tag of await entry.getByText(/^(urgent|emergency)$/i).all()) {
      const t = (await tag.boundingBox())!;
      expect(overlap(t, send) || overlap(t, left)).toBe(false);
    }
    // The Left button fits inside the card.
    const card = (await page.getByRole('region', { name: 'Queue of Dr Anil Mehta' }).boundingBox())!;
    expect(left.x + left.width).toBeLessThanOrEqual(card.x + card.width);
  }
  await page.screenshot({ path: test.info().outputPath('queue-board.png') });
});
