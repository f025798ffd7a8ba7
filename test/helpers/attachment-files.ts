import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import type { TestClinic } from './app';

/**
 * Real files for attachment tests: a PDF poppler reads (with a plain-text marker in an uncompressed
 * content stream, and padding up to a size), a 1x1 PNG with correct CRCs, a tiny JPEG.
 */

/** A valid PDF of about `size` bytes whose page says `marker` (uncompressed, so the marker is in the bytes). */
export function makePdf(marker: string, size = 2000): Buffer {
  const text = `BT /F1 18 Tf 72 720 Td (${marker}) Tj ET`;
  // Incompressible padding in a stream nobody draws: a scan's size without a scan.
  const padLen = Math.max(0, size - 900);
  const pad = randomBytes(Math.ceil(padLen / 2)).toString('hex').slice(0, padLen);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${pad.length} >>\nstream\n${pad}\nendstream`,
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A 1x1 red PNG. */
export function makePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = zlib.deflateSync(Buffer.from([0, 255, 0, 0]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The smallest JPEG shape the content check accepts: SOI, an APP0 marker, some data, EOI. */
export function makeJpeg(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'), randomBytes(200), Buffer.from([0xff, 0xd9])]);
}

/**
 * How a screen sends a file: whole when small, else in 64 KiB pieces (attachments.stage) and then
 * by its upload id. Returns the part of attachments.add's input that carries the file.
 */
export function fileInput(c: TestClinic, token: string, file: Buffer): { base64: string } | { uploadId: string } {
  const piece = 64 * 1024;
  if (file.length <= piece) return { base64: file.toString('base64') };
  let uploadId: string | null = null;
  for (let at = 0; at < file.length; at += piece) uploadId = c.ok('attachments.stage', { uploadId, base64: file.subarray(at, at + piece).toString('base64') }, token).uploadId;
  return { uploadId: uploadId! };
}
