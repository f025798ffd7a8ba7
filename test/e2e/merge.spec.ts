import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { ADMIN, expect, logIn, setUpClinic, test, type Host } from './fixtures';

const SHOTS = '/tmp/shots-mergefix';
const RECEPTIONIST = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1' };

type Registered = { status: 'registered'; patient: { id: string; mrn: string } } | { status: 'duplicates'; candidates: { id: string }[] };

/** One person registered twice (a spelling and a new mobile), the second record with today's visit. */
async function twoRecordsOfOnePerson(host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const rita = (await host.api('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password })).value.token as string;
  const register = async (patient: Record<string, unknown>) => {
    let r = (await host.api('patients.register', { patient }, rita)).value as Registered;
    if (r.status === 'duplicates') r = (await host.api('patients.register', { patient, acknowledgeDuplicates: r.candidates.map((c) => c.id) }, rita)).value as Registered;
    if (r.status !== 'registered') throw new Error('not registered');
    return r.patient;
  };
  const kept = await register({ givenName: 'Lakshmi', familyName: 'Iyer', gender: 'female', dob: '1971-03-08', mobile: '9845012345', city: 'Pune' });
  const twice = await register({ givenName: 'Laxmi', familyName: 'Iyer', gender: 'female', dob: '1971-03-08', mobile: '9845099999', city: 'Pune' });
  const checkIn = await host.api('queue.checkIn', { patientId: twice.id, doctorId: dr.id }, rita);
  expect(checkIn.ok).toBe(true);
  return { admin, kept, twice };
}

async function openCard(page: Page, mrn: string) {
  await page.getByLabel('Find patient').first().fill(mrn);
  await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
  await page.getByLabel('Find patient').first().press('Enter');
}

test('reception merges two records of one person by keyboard, the survivor shows the other’s visit, and an administrator undoes it', async ({ page, host, browser }) => {
  // Two sessions and a dozen API calls: slow on a loaded machine, not stuck.
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const { admin, kept, twice } = await twoRecordsOfOnePerson(host);

  await page.goto(host.url);
  await logIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();
  await openCard(page, kept.mrn);
  const card = page.getByRole('region', { name: 'Patient summary' });
  await expect(card.getByRole('heading', { name: 'Lakshmi Iyer' })).toBeVisible();
  await expect(card).not.toContainText('Recent:');

  // "Merge with…", then find the other record in the dialog's own search (focused) and open it with Enter.
  await card.getByRole('button', { name: 'Merge with…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Merge duplicate records' });
  await expect(dialog.getByLabel('Find patient')).toBeFocused();
  await page.keyboard.type(twice.mrn);
  await expect(dialog.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');

  // Side by side: what differs, each record's visits, what moves.
  await expect(dialog.getByRole('columnheader', { name: `Keep: ${kept.mrn}` })).toBeVisible();
  await expect(dialog.getByRole('columnheader', { name: `Merge: ${twice.mrn}` })).toBeVisible();
  await expect(dialog.getByRole('radiogroup', { name: 'Name' })).toBeVisible();
  await expect(dialog).toContainText(`1 visit moves to ${kept.mrn}`);
  // Keep Lakshmi's record (and spelling), take the newer mobile from the other: by keyboard.
  await dialog.getByRole('radiogroup', { name: 'Record to keep' }).getByRole('radio', { name: `${kept.mrn} Lakshmi Iyer` }).focus();
  await expect(dialog.getByRole('radiogroup', { name: 'Record to keep' }).getByRole('radio', { name: `${kept.mrn} Lakshmi Iyer` })).toBeChecked();
  await dialog.getByRole('radiogroup', { name: 'Mobile' }).getByRole('radio', { name: '9845012345' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('radiogroup', { name: 'Mobile' }).getByRole('radio', { name: '9845099999' })).toBeChecked();
  await expect(dialog.getByRole('button', { name: `Merge ${twice.mrn} into ${kept.mrn}` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/merge-compare.png` });
  await page.keyboard.press('Enter');

  // The survivor's card: her own name, the mobile taken, the other record's visit, where it came from.
  await expect(dialog).toBeHidden();
  await expect(card.getByRole('heading', { name: 'Lakshmi Iyer' })).toBeVisible();
  await expect(card).toContainText('9845099999');
  await expect(card.getByRole('button', { name: `Open merged record ${twice.mrn}` })).toBeVisible();
  await expect(card).toContainText('Recent:');
  await expect(card).toContainText('Dr Anil Mehta (token 1, waiting)');
  await page.screenshot({ path: `${SHOTS}/merge-survivor.png` });

  // The administrator finds the person by the merged MRN (it opens the survivor), opens the merged
  // record from "Merged from" and undoes the merge there.
  const desk = await (await browser.newContext()).newPage();
  await desk.goto(host.url);
  await logIn(desk, ADMIN.username, ADMIN.password);
  await desk.getByRole('link', { name: /Reception/ }).click();
  await openCard(desk, twice.mrn);
  const merged = desk.getByRole('region', { name: 'Patient summary' });
  await expect(merged.getByRole('heading', { name: 'Lakshmi Iyer' })).toBeVisible();
  await merged.getByRole('button', { name: `Open merged record ${twice.mrn}` }).click();
  await expect(merged).toContainText(`${twice.mrn} was merged into ${kept.mrn} (Lakshmi Iyer): its visits and bills are there.`);
  await desk.screenshot({ path: `${SHOTS}/merge-merged-card.png` });
  await merged.getByRole('button', { name: 'Undo merge' }).click();
  await expect(merged.getByText('Merged record')).toBeHidden();
  await expect(merged.getByRole('heading', { name: 'Laxmi Iyer' })).toBeVisible();
  await expect(merged).toContainText('Dr Anil Mehta (token 1, waiting)');
  await desk.screenshot({ path: `${SHOTS}/merge-undone.png` });

  // The kept record is as before: its own mobile back, no visit.
  const after = (await host.api('patients.get', { id: kept.id }, admin)).value;
  expect(after.patient.mobile).toBe('9845012345');
  expect(after.recentVisits).toEqual([]);
});
