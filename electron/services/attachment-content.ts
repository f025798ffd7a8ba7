import { ApiFailure } from '../core/context';
import { MAX_ATTACHMENT_BYTES, type AttachmentMime } from '../../shared/attachments';

/**
 * What a file is, from its bytes (never its name or what the browser says): PDF, JPEG or PNG, each
 * checked far enough that a truncated or garbled file is refused with words a receptionist can act
 * on, rather than stored and found unreadable at the doctor's desk.
 *
 * PDFs are checked structurally here (header, `startxref` pointing at a cross-reference table or
 * stream, `%%EOF`), not with pdf.js: the router's transaction is synchronous and pdf.js parses
 * asynchronously; the structure check catches what usually goes wrong with a report (a download or
 * scan cut short, a renamed file of another kind).
 */

/** The input field the bytes came in: the inline `base64`, or the `uploadId` of pieces staged before. */
export type FileField = 'base64' | 'uploadId';

type Refuse = (message: string) => ApiFailure;
const refuser = (field: FileField): Refuse => (message) => new ApiFailure('invalid_input', `${field}: ${message}`, { [field]: message });

const startsWith = (b: Buffer, sig: readonly number[]) => sig.every((x, i) => b[i] === x);
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function detectAttachmentType(bytes: Buffer, field: FileField = 'base64'): AttachmentMime {
  const refuse = refuser(field);
  if (bytes.length === 0) throw refuse('The file is empty: choose the scanned report again');
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw refuse('This file is over the 20 MB limit: scan it at a lower resolution or split it');
  if (bytes.subarray(0, 1024).includes('%PDF-')) return checkPdf(bytes, refuse);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return checkJpeg(bytes, refuse);
  if (startsWith(bytes, PNG_SIG)) return checkPng(bytes, refuse);
  throw refuse('This is not a PDF, JPEG or PNG file (judged by its content, not its name)');
}

function checkPdf(bytes: Buffer, refuse: Refuse): AttachmentMime {
  const corrupt = (why: string) => refuse(`This PDF is damaged (${why}): scan or download it again`);
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  if (!tail.includes('%%EOF')) throw corrupt('it ends before its end marker');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail.slice(tail.lastIndexOf('startxref')));
  if (!m) throw corrupt('no cross-reference position at its end');
  const at = Number(m[1]);
  if (!Number.isSafeInteger(at) || at <= 0 || at >= bytes.length) throw corrupt('its cross-reference position is outside the file');
  const there = bytes.subarray(at, at + 64).toString('latin1');
  // A classic table ("xref") or a cross-reference stream object ("12 0 obj").
  if (!/^\s*(xref\b|\d+\s+\d+\s+obj\b)/.test(there)) throw corrupt('its cross-reference table is missing');
  if (!bytes.includes('obj')) throw corrupt('it holds no objects');
  return 'application/pdf';
}

function checkJpeg(bytes: Buffer, refuse: Refuse): AttachmentMime {
  // The end-of-image marker, allowing for padding some cameras append.
  const end = bytes.subarray(Math.max(0, bytes.length - 64)).lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (end < 0) throw refuse('This JPEG image is cut short: take or scan it again');
  return 'image/jpeg';
}

function checkPng(bytes: Buffer, refuse: Refuse): AttachmentMime {
  if (bytes.length < 8 + 25 + 12 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') throw refuse('This PNG image is damaged (no header): save it again');
  if (bytes.subarray(bytes.length - 12).subarray(4, 8).toString('latin1') !== 'IEND') throw refuse('This PNG image is cut short: save it again');
  return 'image/png';
}
