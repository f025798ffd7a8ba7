import type { Locator, Page } from '@playwright/test';
import { makePdf } from '../helpers/attachment-files';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

/*
 * Issue #19 end to end: the receptionist attaches a scanned report (a real PDF) and a photo (a real
 * JPEG drawn by the browser) to a patient, one by the file chooser and one dropped on the patient
 * card; a text file renamed .pdf is refused with words she understands. The doctor then sees both in
 * the timeline with thumbnails, opens the PDF, sees page 1 drawn and zooms, and opens the photo.
 */

const SHOTS = '/tmp/shots-att-view';

async function clinic(host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const rita = (await host.api('auth.login', { username: 'rita', password: 'rita-pass-1' })).value.token;
  const reg = await host.api('patients.register', { patient: { givenName: 'Ramesh', familyName: 'Kulkarni', gender: 'male', ageYears: 58, mobile: '9823012345' } }, rita);
  expect((await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, rita)).ok).toBe(true);
}

/** Drops a file on an element the way a file dragged from the desktop arrives (a DataTransfer with it). */
async function dropFile(page: Page, target: Locator, name: string, mime: string, base64: string) {
  // Run in the page (a string: this file is compiled without the DOM's types).
  const transfer = await page.evaluateHandle(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], ${JSON.stringify(name)}, { type: ${JSON.stringify(mime)} }));
    return dt;
  })()`);
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

/** How many pixels of an image or canvas are clearly not white: a drawn page or photo has many. */
function inkOf(target: Locator): Promise<number> {
  return target.evaluate((el) => {
    // Page code, typed by hand: this file is compiled without the DOM's types.
    type Pixels = { data: Uint8ClampedArray };
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): Pixels } | null };
    const doc = (globalThis as unknown as { document: { createElement(tag: 'canvas'): Canvas } }).document;
    const image = el.tagName === 'IMG';
    const w = Number(Reflect.get(el, image ? 'naturalWidth' : 'width'));
    const h = Number(Reflect.get(el, image ? 'naturalHeight' : 'height'));
    const c = doc.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d')!;
    g.drawImage(el, 0, 0);
    const d = g.getImageData(0, 0, w, h).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! < 384 && d[i + 3]! > 0) ink += 1;
    return ink;
  });
}

test('reception attaches a PDF and a JPEG (one dropped on the card); the doctor sees thumbnails in the timeline, opens, pages and zooms', async ({ page, host, browser }) => {
  // Two people's whole sessions in one scenario: longer than the default on a loaded machine.
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await clinic(host);
  await page.goto(host.url);
  await logIn(page, 'rita', 'rita-pass-1');
  await page.getByLabel('Find patient').fill('2345');
  await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
  await page.getByLabel('Find patient').press('Enter');
  const card = page.getByRole('region', { name: 'Attachments' });
  await expect(card).toBeVisible();

  // A scanned lab report through the file chooser.
  await card.getByRole('button', { name: 'Attach file…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Attach a report or scan' });
  await dialog.getByLabel('File', { exact: true }).setInputFiles({ name: 'cbc.pdf', mimeType: 'application/pdf', buffer: makePdf('HAEMOGLOBIN 13.2 g/dL') });
  await dialog.getByLabel('Title').fill('CBC from City Lab');
  await dialog.getByRole('button', { name: 'Attach' }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('attachment-row')).toContainText('CBC from City Lab');

  // A text file named like a PDF: refused by its content, saying what it is not.
  await card.getByRole('button', { name: 'Attach file…' }).click();
  await dialog.getByLabel('File', { exact: true }).setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('name,age\nRamesh,58\n') });
  await dialog.getByRole('button', { name: 'Attach' }).click();
  await expect(dialog.getByText('This is not a PDF, JPEG or PNG file (judged by its content, not its name)')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/wrong-file.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(card.getByTestId('attachment-row')).toHaveCount(1);

  // A photo of an ECG strip, a real JPEG the browser encodes, dropped straight on the patient card.
  const jpeg = await page.evaluate<string>(`(() => {
    const c = document.createElement('canvas');
    c.width = 480;
    c.height = 320;
    const g = c.getContext('2d');
    g.fillStyle = '#fde8e8';
    g.fillRect(0, 0, 480, 320);
    g.strokeStyle = '#111';
    g.lineWidth = 4;
    g.beginPath();
    for (let x = 0; x < 480; x += 4) g.lineTo(x, 160 + (x % 80 < 8 ? -90 : 0) + Math.sin(x / 9) * 6);
    g.stroke();
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  })()`);
  await dropFile(page, card, 'ecg.jpg', 'image/jpeg', jpeg);
  await expect(dialog).toContainText('ecg.jpg');
  await dialog.getByLabel('Kind').selectOption('ecg');
  await dialog.getByRole('button', { name: 'Attach' }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('attachment-row')).toHaveCount(2);

  // The doctor calls the patient and opens the timeline.
  const doctor = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await doctor.goto(host.url);
  await logIn(doctor, 'drmehta', 'mehta-pass-1');
  await doctor.getByRole('link', { name: /Doctor/ }).click();
  await expect(doctor.getByRole('region', { name: 'My queue' }).getByText('Ramesh Kulkarni')).toBeVisible();
  await doctor.keyboard.press('Alt+x');
  await expect(doctor.getByLabel('Patient banner')).toContainText('Ramesh Kulkarni');
  await doctor.getByRole('tab', { name: /Timeline/ }).click();
  const files = doctor.getByRole('region', { name: 'Reports and scans' });
  await expect(files.getByTestId('timeline-attachment')).toHaveCount(2);
  await expect(files).toContainText('by Rita Dsouza');
  const pdfThumb = files.getByRole('img', { name: 'Thumbnail of CBC from City Lab' });
  const jpegThumb = files.getByRole('img', { name: 'Thumbnail of ecg' });
  await expect(pdfThumb).toBeVisible();
  await expect(jpegThumb).toBeVisible();
  // The PDF's thumbnail is its first page drawn (the text is dark ink on white), not a blank box.
  await expect.poll(() => inkOf(pdfThumb)).toBeGreaterThan(20);
  await expect.poll(() => inkOf(jpegThumb)).toBeGreaterThan(200);
  await doctor.screenshot({ path: `${SHOTS}/timeline.png` });

  // Enter opens the viewer on page 1 of 1, drawn.
  await files.getByRole('button', { name: 'Open CBC from City Lab' }).focus();
  await doctor.keyboard.press('Enter');
  const viewer = doctor.getByRole('dialog');
  await expect(viewer.getByTestId('viewer-page')).toHaveText('Page 1 of 1');
  const pageCanvas = viewer.getByLabel('Page 1 of CBC from City Lab');
  await expect(pageCanvas).toHaveAttribute('data-drawn', /^1@/);
  expect(await inkOf(pageCanvas)).toBeGreaterThan(100);
  const fitWidth = (await pageCanvas.boundingBox())!.width;
  await expect(viewer.getByTestId('viewer-zoom')).toHaveText('Fit width');
  await doctor.screenshot({ path: `${SHOTS}/viewer-pdf.png` });
  // + zooms in by keyboard; the page is drawn again, wider.
  await doctor.keyboard.press('+');
  await expect(viewer.getByTestId('viewer-zoom')).toHaveText('125%');
  await expect(pageCanvas).toHaveAttribute('data-drawn', /^1@/);
  expect((await pageCanvas.boundingBox())!.width).toBeGreaterThan(fitWidth * 1.2);
  await doctor.screenshot({ path: `${SHOTS}/viewer-pdf-zoomed.png` });
  await doctor.keyboard.press('0');
  await expect(viewer.getByTestId('viewer-zoom')).toHaveText('Fit width');
  await doctor.keyboard.press('Escape');
  await expect(viewer).toBeHidden();

  // The photo opens whole and zooms with the buttons.
  await files.getByRole('button', { name: 'Open ecg' }).click();
  const photo = viewer.getByRole('img', { name: 'ecg' });
  await expect(photo).toBeVisible();
  expect(await inkOf(photo)).toBeGreaterThan(200);
  const before = (await photo.boundingBox())!.width;
  await viewer.getByRole('button', { name: 'Zoom out' }).click();
  await expect(viewer.getByTestId('viewer-zoom')).toHaveText('75%');
  expect((await photo.boundingBox())!.width).toBeLessThan(before * 0.8);
  await doctor.screenshot({ path: `${SHOTS}/viewer-jpeg.png` });
});
