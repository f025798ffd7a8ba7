import { z } from 'zod';
import { ATTACHMENT_KINDS } from '../../shared/attachments';
import { addAttachment, listAttachments, readAttachment, stagePiece, withdrawAttachment } from '../services/attachments';
import { method } from './contract';
import { id, isoDate, optionalText, requiredText } from './fields';

/** Base64 of at most `bytes` bytes. */
const base64 = (label: string, bytes: number) =>
  z
    .string({ error: `${label} must be the file's bytes in base64` })
    .max(Math.ceil(bytes / 3) * 4, `${label} is too large`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, `${label} must be base64`);

/** A piece sent through attachments.stage: 64 KiB of file (under 100,000 characters of base64, like every bounded string). */
const PIECE_BYTES = 64 * 1024;

/**
 * Patient attachments (electron/services/attachments.ts, docs/ATTACHMENTS.md). Reception, doctors and
 * administrators attach and list; opening the file is clinical data (clinical.read, the doctor's own
 * patients) and audited.
 */
export const attachmentMethods = {
  /** One piece of a large file (the browser host takes bodies up to 1 MB); then attachments.add with the uploadId. */
  'attachments.stage': method({
    input: z.object({ uploadId: z.uuid({ error: 'Upload id is not valid' }).nullish(), base64: base64('File piece', PIECE_BYTES) }),
    access: 'attachments.add',
    mutates: false,
    run: (ctx, input) => stagePiece(ctx, input),
  }),
  'attachments.add': method({
    input: z.object({
      patientId: id('Patient'),
      visitId: id('Visit').nullish(),
      kind: z.enum(ATTACHMENT_KINDS, { error: `Kind must be one of: ${ATTACHMENT_KINDS.join(', ')}` }),
      title: requiredText('Title', 200),
      documentDate: isoDate('Document date'),
      fileName: optionalText('File name', 255),
      /** The whole file when it is small (up to 64 KiB), or... */
      base64: base64('File', PIECE_BYTES).nullish(),
      /** ...the pieces staged with attachments.stage. */
      uploadId: z.uuid({ error: 'Upload id is not valid' }).nullish(),
    }),
    access: 'attachments.add',
    mutates: true,
    run: (ctx, input) => addAttachment(ctx, input),
  }),
  'attachments.list': method({
    input: z.object({ patientId: id('Patient') }),
    access: 'attachments.add',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => listAttachments(ctx, input.patientId),
  }),
  /** The file itself (base64), checked against its sha256; "not yet downloaded" while it is fetched. */
  'attachments.read': method({
    input: z.object({
      id: id('Attachment'),
      /** For the audit trail: a thumbnail in the timeline, or the file opened in the viewer (the default). */
      purpose: z.enum(['open', 'thumbnail'], { error: 'Purpose must be open or thumbnail' }).optional(),
    }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => readAttachment(ctx, input.id, input.purpose),
  }),
  'attachments.withdraw': method({
    input: z.object({ id: id('Attachment'), reason: requiredText('Reason', 300) }),
    access: 'attachments.add',
    mutates: true,
    run: (ctx, input) => withdrawAttachment(ctx, input),
  }),
};
