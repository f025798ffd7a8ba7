import { call } from '../api/client';

/*
 * Thumbnails of attachments for the doctor's timeline: made in the renderer from the file read
 * through attachments.read (purpose "thumbnail", audited as a clinical read), downscaled to a small
 * JPEG, and kept for the login session. So a file scrolled past again costs neither a read nor an
 * audit row, and only files that come into view are read at all (the timeline asks as they do).
 */

export type Thumbnail = { url: string } | { error: string };

const WIDTH_PX = 240;
/** At most this many files read at once: the main process also answers the doctor's typing. */
const PARALLEL = 2;

let owner: string | null = null;
const cache = new Map<string, Promise<Thumbnail>>();
let active = 0;
const waiting: (() => void)[] = [];

/** The file's bytes from base64 (atob gives one char per byte). */
export function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Forgets every thumbnail (at logout and lock: the next login reads, and audits, afresh). */
export function forgetThumbnails(): void {
  cache.clear();
  owner = null;
}

/** The thumbnail of an attachment, made once per login session (another user starts afresh). */
export function thumbnailOf(userId: string, a: { id: string; mime: string }): Promise<Thumbnail> {
  if (owner !== userId) {
    cache.clear();
    owner = userId;
  }
  let t = cache.get(a.id);
  if (!t) {
    t = queued(() => make(a));
    cache.set(a.id, t);
    // A failure (not yet downloaded, a damaged file) is tried again next time it comes into view.
    void t.then((r) => {
      if ('error' in r && cache.get(a.id) === t) cache.delete(a.id);
    });
  }
  return t;
}

async function queued<T>(job: () => Promise<T>): Promise<T> {
  if (active >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  active += 1;
  try {
    return await job();
  } finally {
    active -= 1;
    waiting.shift()?.();
  }
}

async function make(a: { id: string; mime: string }): Promise<Thumbnail> {
  const r = await call('attachments.read', { id: a.id, purpose: 'thumbnail' });
  if (!r.ok) return { error: r.error.message };
  try {
    const bytes = bytesOf(r.value.base64);
    const canvas = document.createElement('canvas');
    if (r.value.mime === 'application/pdf') {
      const { openPdf, drawPage } = await import('./pdf-doc');
      const doc = await openPdf(bytes);
      try {
        // drawPage sizes for the screen's density; a thumbnail only needs its own pixels.
        await drawPage(doc, 1, canvas, WIDTH_PX / (window.devicePixelRatio || 1));
      } finally {
        void doc.destroy();
      }
    } else {
      const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.value.mime }));
      const scale = Math.min(1, WIDTH_PX / bitmap.width);
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
    }
    const url = canvas.toDataURL('image/jpeg', 0.8);
    canvas.width = 0;
    canvas.height = 0;
    return { url };
  } catch {
    return { error: 'This file could not be drawn: open it to see what it holds.' };
  }
}
