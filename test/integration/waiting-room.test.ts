import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { controlDisplay, type DisplayControl } from '../../electron/transports/display-control';
import { initials } from '../../electron/services/waiting-room';
import { auditRows, failure, openDesk, register, type Desk } from './reception-fixtures';

/**
 * The waiting-room display over real HTTP on loopback: what a TV on the clinic network gets, and
 * what anyone else on that network does not.
 */
const running: DisplayControl[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

function display(d: Desk): DisplayControl {
  const control = controlDisplay({ app: d.c.app, timeZone: 'Asia/Kolkata', now: () => d.c.clock.now, host: '127.0.0.1', checkEveryMs: 60_000 });
  running.push(control);
  return control;
}

/** A port nothing listens on now (the setting refuses 0, as a TV needs a port it can be told). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function turnOn(d: Desk, control: DisplayControl) {
  const s = d.c.ok('display.setSettings', { enabled: true, port: await freePort() }, d.admin);
  await control.reconcile();
  const port = control.listening();
  if (!port) throw new Error('the display did not start');
  return { key: s.key, port, base: `http://127.0.0.1:${port}` };
}

function get(url: string, method = 'GET'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the event stream and collects boards until `until` says stop. */
function stream(url: string, until: (boards: unknown[], ended: boolean) => boolean): Promise<{ boards: { doctors: { doctor: string; calling: { token: string } | null; next: { token: string }[] }[] }[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const boards: never[] = [];
    let ended = false;
    const req = http.get(url, (res) => {
      let buffer = '';
      const check = () => {
        if (until(boards, ended)) {
          req.destroy();
          resolve({ boards, ended });
        }
      };
      res.on('data', (c: Buffer) => {
        buffer += c.toString();
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (frame.startsWith('event: board')) boards.push(JSON.parse(frame.split('\ndata: ')[1]!) as never);
          if (frame.startsWith('event: ended')) ended = true;
        }
        check();
      });
      res.on('end', () => {
        ended = true;
        check();
      });
    });
    req.on('error', reject);
    setTimeout(() => reject(new Error(`stream timed out with ${boards.length} boards`)), 5_000).unref();
  });
}

const patient = (d: Desk, givenName: string, familyName: string, mobile: string) =>
  register(d, { givenName, familyName, gender: 'female', ageYears: 41, mobile }).patient;

describe('waiting-room display', () => {
  it('stays closed until an administrator turns it on, and only an administrator can', async () => {
    const d = openDesk();
    const control = display(d);
    await control.reconcile();
    expect(control.listening()).toBeNull();
    expect(failure(d.c.call('display.setSettings', { enabled: true }, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('display.settings', {}, d.doctor)).code).toBe('forbidden');
    expect(failure(d.c.call('display.setSettings', { port: 80 }, d.admin)).fields).toEqual({ port: 'Port must be 1024 or more' });
    const { key } = await turnOn(d, control);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    // The audit says what was done, never the key that opens the display.
    const audit = auditRows(d, 'display.setSettings');
    expect(audit.at(-1)?.detail).toMatch(/waiting-room display on, port \d+/);
    expect(JSON.stringify(audit)).not.toContain(key);

    d.c.ok('display.setSettings', { enabled: false }, d.admin);
    await control.reconcile();
    expect(control.listening()).toBeNull();
  });

  it('shows tokens and initials, never names, numbers or ages, and only with the key', async () => {
    const d = openDesk();
    const { key, base } = await turnOn(d, display(d));
    const sunita = patient(d, 'Sunita', 'Bhattacharya', '9822000011');
    const farhan = patient(d, 'Farhan', 'Qureshi', '9822000012');
    d.c.ok('queue.checkIn', { patientId: sunita.id, doctorId: d.drRao }, d.reception);
    d.c.ok('queue.checkIn', { patientId: farhan.id, doctorId: d.drRao, priority: 'urgent' }, d.reception);

    expect((await get(`${base}/display/board`)).status).toBe(403);
    expect((await get(`${base}/display/board?key=${'0'.repeat(32)}`)).status).toBe(403);
    expect((await get(`${base}/display/board?key=${key}`, 'POST')).status).toBe(405);
    expect((await get(`${base}/api/queue.list?key=${key}`)).status).toBe(404);

    const answer = await get(`${base}/display/board?key=${key}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      clinic: 'Sharma Clinic',
      doctors: [{ doctor: 'Dr Meera Rao', calling: null, waiting: 2, next: [{ token: '2', initials: 'F. Q.', urgent: true }, { token: '1', initials: 'S. B.', urgent: false }] }],
    });
    for (const secret of ['Sunita', 'Bhattacharya', 'Farhan', 'Qureshi', sunita.mrn, '9822000011', '41']) expect(answer.body).not.toContain(secret);

    const page = await get(`${base}/display?key=${key}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).not.toMatch(/<script>/);
  });

  it('updates live when the doctor calls the next patient, and a new link ends the old streams', async () => {
    const d = openDesk();
    const { key, base } = await turnOn(d, display(d));
    const sunita = patient(d, 'Sunita', 'Bhattacharya', '9822000011');
    d.c.ok('queue.checkIn', { patientId: sunita.id, doctorId: d.drRao }, d.reception);

    // The doctor calls the next patient once the TV has its first board.
    const live = stream(`${base}/display/stream?key=${key}`, (boards) => {
      if (boards.length === 1) d.c.ok('queue.callNext', {}, d.doctor);
      return boards.length >= 2;
    });
    const { boards } = await live;
    expect(boards[0]!.doctors[0]).toMatchObject({ calling: null, next: [{ token: '1' }] });
    expect(boards[1]!.doctors[0]).toMatchObject({ calling: { token: '1' }, next: [] });

    let renewed = { key: '' };
    const old = stream(`${base}/display/stream?key=${key}`, (boards, ended) => {
      if (boards.length === 1 && !renewed.key) {
        renewed = d.c.ok('display.setSettings', { newKey: true }, d.admin);
        d.c.ok('queue.setStatus', { visitId: d.c.ok('queue.list', {}, d.reception)[0]!.visitId, status: 'done' }, d.reception);
      }
      return ended;
    });
    expect((await old).ended).toBe(true);
    expect((await get(`${base}/display/board?key=${key}`)).status).toBe(403);
    expect((await get(`${base}/display/board?key=${renewed.key}`)).status).toBe(200);
  });

  it('makes initials from letters only', () => {
    expect(initials('ravi', 'kumar')).toBe('R. K.');
    expect(initials('  Ødegaard', null)).toBe('Ø.');
    expect(initials('9876543210', 'Dr.')).toBe('D.');
  });
});
