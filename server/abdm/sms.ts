import { isIndianMobile, normalisePhone } from '../../shared/phone';

/**
 * The SMS that carries a user-initiated link's OTP to the patient (docs/ABDM.md "The OTP"): a small
 * interface and one provider, MSG91's "Send SMS via Flow" API (v5, `POST /api/v5/flow/`, header
 * `authkey`, body `{template_id, sender, short_url, recipients: [{mobiles: "91XXXXXXXXXX", <var>: <value>}]}`,
 * answer `{"type": "success", "message": <request id>}` or `{"type": "error", "message": <why>}`).
 * Indian operators deliver only DLT-registered text from a DLT-registered sender (header), so the
 * text is not ours to write: the template registered on DLT, and mapped in MSG91's panel to
 * MSG91's template id, is filled with the variables `otp` and `clinic`.
 */

/** The DLT template the clinic registers (docs/ABDM.md): `##otp##` and `##clinic##` are MSG91's variables. */
export const LINK_OTP_TEMPLATE_TEXT = '##otp## is your OTP to link your records at ##clinic## with your ABHA. It is valid for 10 min. Do not share it.';

export const MSG91_FLOW_URL = 'https://control.msg91.com/api/v5/flow/';

export interface SmsConfig {
  provider: 'msg91';
  url: string;
  /** MSG91_AUTH_KEY: kept in memory, sent only as the `authkey` header; never logged nor shown. */
  authKey: string;
  /** MSG91's id of the template (the flow), mapped in its panel to the DLT template. */
  templateId: string;
  /** The DLT-registered header the SMS comes from (6 letters). */
  senderId: string;
  /** The DLT template id (19 digits) the MSG91 template is mapped to: shown by the connection check to compare with the DLT portal. */
  dltTemplateId: string;
  /** How the clinic is named in the SMS; default the clinic's name on the server. */
  clinicName?: string;
}

/** The settings, null when no SMS provider is configured, or what is wrong with them. */
export function smsConfigFromEnv(env: Record<string, string | undefined>): SmsConfig | null | { error: string } {
  const authKey = env.MSG91_AUTH_KEY?.trim();
  if (!authKey) return null;
  const templateId = env.MSG91_TEMPLATE_ID?.trim() ?? '';
  if (!templateId) return { error: 'MSG91_TEMPLATE_ID (the MSG91 template of the link OTP SMS) is required when MSG91_AUTH_KEY is set' };
  const senderId = env.MSG91_SENDER_ID?.trim() ?? '';
  if (!/^[A-Za-z]{6}$/.test(senderId)) return { error: `MSG91_SENDER_ID must be the 6-letter DLT sender id (header), not "${senderId}"` };
  const dltTemplateId = env.MSG91_DLT_TEMPLATE_ID?.trim() ?? '';
  if (!/^\d{19}$/.test(dltTemplateId)) return { error: `MSG91_DLT_TEMPLATE_ID must be the 19-digit template id from the DLT portal, not "${dltTemplateId}"` };
  const url = env.MSG91_URL?.trim() || MSG91_FLOW_URL;
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('not http');
  } catch {
    return { error: `MSG91_URL must be an http(s) address, not "${url}"` };
  }
  const clinicName = env.SMS_CLINIC_NAME?.trim();
  return { provider: 'msg91', url, authKey, templateId, senderId: senderId.toUpperCase(), dltTemplateId, ...(clinicName ? { clinicName } : {}) };
}

/**
 * What came of one send. `delivered: 'no'` when the provider refused it (nothing reached the
 * phone); 'unknown' when it could not be reached or did not answer (it may have gone out).
 */
export type SmsResult = { ok: true; id: string } | { ok: false; delivered: 'no' | 'unknown'; reason: string };

export interface SmsSender {
  /** For the connection check: everything but the key. */
  readonly settings: { provider: string; url: string; templateId: string; senderId: string; dltTemplateId: string; clinicName: string | null };
  sendLinkOtp(mobile: string, values: { otp: string; clinic: string }): Promise<SmsResult>;
}

/** The SMS sender's settings a desk may see: never the key. */
export function visibleSmsSettings(config: SmsConfig): SmsSender['settings'] {
  return { provider: config.provider, url: config.url, templateId: config.templateId, senderId: config.senderId, dltTemplateId: config.dltTemplateId, clinicName: config.clinicName ?? null };
}

/** The mobile as MSG91 wants it (country code, no +), or null when it is not an Indian mobile. */
export function msg91Mobile(raw: string): string | null {
  const n = normalisePhone(raw);
  return isIndianMobile(n) ? `91${n}` : null;
}

// The DLT template's variables may carry at most 30 characters each (TRAI's rule); a longer clinic name is cut.
const variable = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 30);

export function msg91Sender(config: SmsConfig, options: { timeoutMs?: number } = {}): SmsSender {
  return {
    settings: visibleSmsSettings(config),
    async sendLinkOtp(mobile, values) {
      const to = msg91Mobile(mobile);
      if (!to) return { ok: false, delivered: 'no', reason: 'not an Indian mobile number' };
      const body = { template_id: config.templateId, sender: config.senderId, short_url: '0', recipients: [{ mobiles: to, otp: values.otp, clinic: variable(values.clinic) }] };
      let res: Response;
      try {
        // Not retried: a retry after a lost answer would send the patient a second SMS.
        res = await fetch(config.url, {
          method: 'POST',
          headers: { authkey: config.authKey, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        return { ok: false, delivered: 'unknown', reason: `MSG91 could not be reached: ${(e as Error).message}` };
      }
      const text = await res.text().catch(() => '');
      let answer: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object') answer = parsed as Record<string, unknown>;
      } catch {
        // Not JSON (a proxy's error page): judged by the status below.
      }
      const message = typeof answer.message === 'string' ? answer.message.slice(0, 200) : '';
      if (res.ok && answer.type === 'success') return { ok: true, id: message };
      // A 5xx (or a 2xx that is not the documented success) may have been sent all the same.
      const delivered = res.status >= 500 || res.ok ? 'unknown' : 'no';
      return { ok: false, delivered, reason: `MSG91 answered ${res.status}${message ? `: ${message}` : ''}` };
    },
  };
}
