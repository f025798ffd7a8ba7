import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

const SHOTS = '/tmp/shots-mergefix';

/** A doctor with a full registration, and a patient checked in to them. */
async function seeded(host: Host) {
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const saved = await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD (Medicine)', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  expect(saved.ok).toBe(true);
  const reg = await host.api('patients.register', { patient: { givenName: 'Sunita', familyName: 'Deshmukh', gender: 'female', ageYears: 42, mobile: '9822055555' } }, admin);
  const checkIn = await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);
  expect(checkIn.ok).toBe(true);
  return { mrn: reg.value.patient.mrn as string };
}

function istDate(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

test('the doctor issues a medical certificate from the visit by keyboard, prints it, and the PDF carries its number, the patient and the dates', async ({ page, host }) => {
  // Two sessions and a dozen API calls: slow on a loaded machine, not stuck.
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const { mrn } = await seeded(host);
  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.getByRole('link', { name: /Doctor/ }).click();
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Sunita Deshmukh')).toBeVisible();
  await page.keyboard.press('Alt+x');
  await expect(page.getByLabel('Patient banner')).toContainText('Sunita Deshmukh');

  // Alt+T opens the certificate, the cursor in the diagnosis; rest from today for three days by default.
  await page.keyboard.press('Alt+t');
  const dialog = page.getByRole('dialog', { name: 'Certificate' });
  await expect(dialog.getByLabel('Diagnosis')).toBeFocused();
  await page.keyboard.type('Acute viral fever');
  await expect(dialog.getByLabel('Rest from')).toHaveValue(istDate(0));
  await expect(dialog.getByLabel('Rest to')).toHaveValue(istDate(2));
  await expect(dialog.getByTestId('certificate-days')).toHaveText('3 days');
  await page.screenshot({ path: `${SHOTS}/certificate-form.png` });
  await page.keyboard.press('Control+Enter');

  // Issued with its number; Print has the focus, so Enter prints.
  const issued = dialog.getByTestId('certificate-issued');
  await expect(issued).toHaveText(/^Issued MC\/[A-Z0-9]+\/000001 · .*Acute viral fever/);
  const number = (/MC\/[A-Z0-9]+\/000001/.exec((await issued.textContent()) ?? '') ?? [''])[0];
  await expect(dialog.getByRole('button', { name: 'Print' })).toBeFocused();
  await page.keyboard.press('Enter');
  // The PDF is made and handed to the operating system's spooler; a machine without a printer (CI)
  // answers with the spooler's refusal, which is still the print having been made and sent.
  await expect(dialog.getByText(/^(Sent to |The printer refused the job)/)).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/certificate-issued.png` });

  // The same document as PDF: the number, the patient and the dates of rest.
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save as PDF' }).click();
  const file = await (await download).path();
  fs.copyFileSync(file, `${SHOTS}/certificate.pdf`);
  const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
  expect(text).toContain(number);
  expect(text).toContain('Sunita Deshmukh');
  expect(text).toContain(mrn);
  expect(text).toContain('Acute viral fever');
  const day = (d: string) => d.split('-').reverse().join('-');
  fs.writeFileSync(`${SHOTS}/certificate.txt`, text);
  expect(text).toContain(`Date: ${day(istDate(0))}`);
  expect(text.replace(/\s+/g, ' ')).toContain(`3 days, from ${day(istDate(0))} to ${day(istDate(2))} (both days inclusive)`);

  // Esc closes; the visit lists the certificate.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByText(number)).toBeVisible();
});
