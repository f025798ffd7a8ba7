// Draws the app icon (a white cross on a teal rounded square) and writes resources/icon.png
// (512x512) and resources/icon.ico (16-256 px, PNG-compressed entries). Plain Node, no packages:
//   node resources/make-icons.mjs
// electron-builder makes the macOS .icns from icon.png.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEAL = [13, 148, 136]; // #0d9488
const WHITE = [255, 255, 255];

/** Coverage (0..1) of a rounded rectangle at a point, in units of the icon's width. */
function inRoundedRect(x, y, left, top, right, bottom, r) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function shapeAt(x, y) {
  // the tile: 6% margin, 20% corner radius
  const tile = inRoundedRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.2);
  if (!tile) return 'none';
  // the cross: arms 22% wide, 60% long, slightly rounded
  const w = 0.11;
  const l = 0.3;
  const cross = inRoundedRect(x, y, 0.5 - w, 0.5 - l, 0.5 + w, 0.5 + l, 0.035) || inRoundedRect(x, y, 0.5 - l, 0.5 - w, 0.5 + l, 0.5 + w, 0.035);
  return cross ? 'cross' : 'tile';
}

/** RGBA pixels, 4x4 supersampled. */
function render(size) {
  const px = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let pxX = 0; pxX < size; pxX++) {
      let tile = 0;
      let cross = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const s = shapeAt((pxX + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (s === 'tile') tile++;
          else if (s === 'cross') cross++;
        }
      }
      const covered = tile + cross;
      const i = (py * size + pxX) * 4;
      if (covered === 0) continue;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round((TEAL[c] * tile + WHITE[c] * cross) / covered);
      px[i + 3] = Math.round((255 * covered) / (n * n));
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size) {
  const rgba = render(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO whose images are PNGs (Windows Vista and later). */
function ico(sizes) {
  const images = sizes.map((s) => png(s));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map((img, i) => {
    const e = Buffer.alloc(16);
    e[0] = sizes[i] >= 256 ? 0 : sizes[i]; // 0 means 256
    e[1] = sizes[i] >= 256 ? 0 : sizes[i];
    e[2] = 0; // no palette
    e[3] = 0;
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(img.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += img.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images]);
}

fs.writeFileSync(path.join(here, 'icon.png'), png(512));
fs.writeFileSync(path.join(here, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256]));
process.stdout.write('wrote resources/icon.png and resources/icon.ico\n');
