import { call } from '../api/client';
import { MAX_ATTACHMENT_BYTES, type AttachmentKind } from '../../../shared/attachments';

/**
 * Sending a chosen file to the patient's record, shared by the patient card's attach dialog and the
 * Lab screen's outside report (docs/ATTACHMENTS.md): the browser host takes bodies up to 1 MB, so a
 * larger file goes in 64 KiB pieces (attachments.stage) and is then added by its upload id.
 */

/** Base64 of bytes, in slices (a 20 MB file would overflow String.fromCharCode's arguments). */
function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const PIECE = 64 * 1024;

const stage = (uploadId: string | null, base64: string) => call('attachments.stage', { uploadId, base64 });

export interface UploadInput {
  patientId: string;
  /** The visit the file belongs to (an outside lab's report of that visit's order), or none. */
  visitId?: string | null;
  kind: AttachmentKind;
  title: string;
  documentDate: string;
  file: File;
}

/** Sends the file and adds it: its attachment id, or the refusal's message as the person should read it. */
export async function uploadAttachment(input: UploadInput): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const bytes = new Uint8Array(await input.file.arrayBuffer());
  if (bytes.length > MAX_ATTACHMENT_BYTES) return { ok: false, message: 'This file is over the 20 MB limit: scan it at a lower resolution or split it.' };
  const base = { patientId: input.patientId, visitId: input.visitId ?? null, kind: input.kind, title: input.title, documentDate: input.documentDate, fileName: input.file.name };
  let carried: { base64: string } | { uploadId: string } = { base64: toBase64(bytes) };
  if (bytes.length > PIECE) {
    let uploadId: string | null = null;
    for (let at = 0; at < bytes.length; at += PIECE) {
      const r: Awaited<ReturnType<typeof stage>> = await stage(uploadId, toBase64(bytes.subarray(at, at + PIECE)));
      if (!r.ok) return { ok: false, message: r.error.message };
      uploadId = r.value.uploadId;
    }
    carried = { uploadId: uploadId! };
  }
  const r = await call('attachments.add', { ...base, ...carried });
  return r.ok ? { ok: true, id: r.value.id } : { ok: false, message: r.error.message };
}
