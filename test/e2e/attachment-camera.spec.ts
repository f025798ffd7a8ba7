import type { Page } from '@playwright/test';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

/**
 * "Take photo" in the attach dialog (docs/ATTACHMENTS.md) with Chromium's fake camera: a moving test
 * pattern as a webcam. One group lets the page use it; the other refuses the permission, as a
 * person saying no or a system setting would.
 */

const RECEPTIONIST = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1' };
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// This file's own browser: a fake camera, and any permission prompt answered "no"; the first group
// grants the camera beforehand (as the desk app's permission handler does), the second does not.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BASE_ARGS, '--use-fake-device-for-media-stream', '--deny-permission-prompts'] } });

/** A patient, a receptionist on her card, and the attach dialog open on "Take photo". */
async function openCamera(page: Page, host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, admin);
  await host.api('patients.register', { patient: { givenName: 'Kavita', familyName: 'Joshi', gender: 'female', ageYears: 41, mobile: '9822033333' } }, admin);
  // Every stream the page gets, to check the camera is let go.
  // (Page script as text: this file is typed without the DOM's types.)
  await page.addInitScript({
    content: `(() => {
      window.streams = [];
      const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (c) => { const s = await original(c); window.streams.push(s); return s; };
    })();`,
  });
  await page.goto(host.url);
  await logIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await page.getByLabel('Find patient').fill('3333');
  await expect(page.getByRole('listbox', { name: 'Search results' })).toContainText('Kavita Joshi');
  await page.getByLabel('Find patient').press('Enter');
  await page.getByRole('button', { name: 'Attach file…' }).click();
  await page.getByRole('button', { name: 'Take photo…' }).click();
}

const cameraReleased = (page: Page) =>
  page.evaluate<boolean>(`window.streams.length > 0 && window.streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended'))`);

test.describe('with the camera allowed', () => {
  test.use({ permissions: ['camera'] });

  test('a receptionist photographs a referral letter, rotates it and attaches it; the list shows it and the camera is let go', async ({ page, host }) => {
    await openCamera(page, host);
    const camera = page.getByRole('group', { name: 'Camera' });
    await expect(camera.getByText('Press Space or Enter to take the photo.')).toBeVisible();
    await expect(camera.getByRole('button', { name: 'Capture' })).toBeEnabled();
    await page.keyboard.press('Space');
    await expect(camera.getByRole('img', { name: 'The photo taken' })).toBeVisible();
    await expect.poll(() => cameraReleased(page), { message: 'the camera is off once the photo is taken' }).toBe(true);
    // The fake camera is landscape (640×480); turned once it is portrait.
    await camera.getByRole('button', { name: 'Rotate 90°' }).click();
    await expect.poll(() => camera.getByRole('img', { name: 'The photo taken' }).evaluate((i) => {
        const img = i as unknown as { naturalHeight: number; naturalWidth: number };
        return img.naturalHeight > img.naturalWidth;
      })).toBe(true);
    await page.screenshot({ path: '/tmp/shots-att-cam/camera-captured.png' });
    await camera.getByRole('button', { name: 'Use photo' }).click();

    const dialog = page.getByRole('dialog', { name: 'Attach a report or scan' });
    await expect(dialog.getByText(/^photo-\d{12}\.jpg · \d+ KB$/)).toBeVisible();
    await dialog.getByLabel('Kind').selectOption({ label: 'Referral' });
    await dialog.getByLabel('Title').fill('Referral letter from Dr Rao');
    await dialog.getByRole('button', { name: 'Attach' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId('attachment-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Referral · Referral letter from Dr Rao');
    await page.screenshot({ path: '/tmp/shots-att-cam/camera-attached.png' });
  });

  test('closing the dialog with the preview live lets the camera go', async ({ page, host }) => {
    await openCamera(page, host);
    await expect(page.getByRole('button', { name: 'Capture' })).toBeEnabled();
    expect(await cameraReleased(page)).toBe(false);
    await page.getByRole('dialog', { name: 'Attach a report or scan' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog', { name: 'Attach a report or scan' })).toBeHidden();
    await expect.poll(() => cameraReleased(page)).toBe(true);
  });
});

test.describe('with the camera refused', () => {

  test('the dialog says the camera is not allowed and what to do instead', async ({ page, host }) => {
    await openCamera(page, host);
    await expect(page.getByRole('group', { name: 'Camera' })).toContainText('The camera is not allowed for this app.');
    await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
    await page.screenshot({ path: '/tmp/shots-att-cam/camera-denied.png' });
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByLabel('File', { exact: true })).toBeVisible();
  });
});
