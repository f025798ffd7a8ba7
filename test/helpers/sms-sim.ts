/**
 * A simulator of MSG91's "Send SMS via Flow" API v5 (control.msg91.com/apidoc/textsms/send-sms-flow.php:
 * `POST /api/v5/flow/`, header `authkey`, JSON `{template_id (or the older flow_id), sender,
 * short_url, recipients: [{mobiles: "91XXXXXXXXXX", <variable>: <value>}]}`), as a real HTTP server
 * on loopback. It checks the auth key, that the template is one registered (mapped to a DLT
 * template, with its DLT sender), that every variable of the template is given and at most 30
 * characters (TRAI's DLT rule), and the mobile's format; it answers `{"type": "success", "message":
 * <24 hex request id>}` or `{"type": "error", "message": <why>}` and keeps each delivered SMS, as
 * the operator would render it from the DLT template, for the test to read.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimTemplate {
  /** MSG91's template id. */
  id: string;
  dltTemplateId: string;
  senderId: string;
  /** The registered text, with `##variable##` placeholders. */
  text: string;
}

export interface SimSms {
  to: string;
  sender: string;
  dltTemplateId: string;
  text: string;
  requestId: string;
}

export interface SmsSim {
  url: string;
  /** Delivered messages, oldest first. */
  sent: SimSms[];
  /** Every request's answer: status and the `message` (never the auth key). */
  answered: { status: number; type: string; message: string }[];
  knobs: {
    /** Answer 503 (the provider down) to this many requests. */
    down: number;
    /** Cut the connection without an answer to this many requests. */
    dropConnection: number;
    /** Hold every request this long before handling it (a slow provider: requests overlap). */
    delayMs: number;
  };
  close(): Promise<void>;
}

export async function startSmsSim(options: { authKey: string; templates: SimTemplate[] }): Promise<SmsSim> {
  const sent: SimSms[] = [];
  const answered: SmsSim['answered'] = [];
  const knobs = { down: 0, dropConnection: 0, delayMs: 0 };
  const answer = (res: http.ServerResponse, status: number, type: 'success' | 'error', message: string) => {
    answered.push({ status, type, message });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message, type }));
  };

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    if (req.method !== 'POST' || !/^\/api\/v5\/flow\/?$/.test(new URL(req.url ?? '/', 'http://x').pathname)) return answer(res, 404, 'error', 'Not found');
    if (knobs.dropConnection > 0) {
      knobs.dropConnection--;
      return req.socket.destroy();
    }
    if (knobs.down > 0) {
      knobs.down--;
      return answer(res, 503, 'error', 'Service Unavailable');
    }
    if (req.headers.authkey !== options.authKey) return answer(res, 401, 'error', 'Authentication failure');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return answer(res, 400, 'error', 'Invalid JSON');
    }
    const templateId = body.template_id ?? body.flow_id;
    const template = options.templates.find((t) => t.id === templateId);
    if (!template) return answer(res, 400, 'error', 'Invalid template id');
    if (body.sender !== undefined && body.sender !== template.senderId) return answer(res, 400, 'error', 'Sender id is not the one registered on DLT for this template');
    const recipients = body.recipients;
    if (!Array.isArray(recipients) || recipients.length === 0) return answer(res, 400, 'error', 'recipients is required');
    const variables = [...template.text.matchAll(/##(\w+)##/g)].map((m) => m[1]!);
    const out: SimSms[] = [];
    for (const r of recipients as Record<string, unknown>[]) {
      const to = r.mobiles;
      if (typeof to !== 'string' || !/^91[6-9]\d{9}$/.test(to)) return answer(res, 400, 'error', 'Invalid mobile number');
      const missing = variables.find((v) => typeof r[v] !== 'string' || r[v].length === 0 || r[v].length > 30);
      if (missing) return answer(res, 400, 'error', `Variable ${missing} is missing or longer than 30 characters`);
      out.push({ to, sender: template.senderId, dltTemplateId: template.dltTemplateId, text: template.text.replace(/##(\w+)##/g, (_, v: string) => String(r[v])), requestId: '' });
    }
    const requestId = randomBytes(12).toString('hex');
    for (const m of out) sent.push({ ...m, requestId });
    answer(res, 200, 'success', requestId);
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => (knobs.delayMs > 0 ? setTimeout(() => handle(req, res, raw), knobs.delayMs) : handle(req, res, raw)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v5/flow/`,
    sent,
    answered,
    knobs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
