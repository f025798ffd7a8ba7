import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Compressed copies of the built renderer for the browser host. The build writes them beside each
 * file (name.js.br, name.js.gz) at the highest settings; a file without one (a build made another
 * way, a test's folder) is compressed on its first request, at settings fast enough not to delay
 * that request much, and kept in memory for the next.
 */

export type Encoding = 'br' | 'gzip';

/** Text and fonts shrink; images the build emits are already compressed. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.ttf', '.ico', '.map', '.txt']);
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const brotliAt = (quality: number) => (b: Buffer) =>
  brotli(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
/**
 * At build time: brotli 10 is within 2% of 11 at half its time (measured on this renderer); files
 * over 1 MB (the print page's pdf.js, which Electron reads from disk) get 9, several times faster.
 */
const BEST: Record<Encoding, (b: Buffer) => Promise<Buffer>> = {
  br: (b) => brotliAt(b.length > 1024 * 1024 ? 9 : 10)(b),
  gzip: (b) => gzip(b, { level: 9 }),
};
/** On a request, for a file the build left without a copy: fast enough not to hold the answer long. */
const QUICK: Record<Encoding, (b: Buffer) => Promise<Buffer>> = {
  br: brotliAt(5),
  gzip: (b) => gzip(b, { level: 6 }),
};
/** The memory a host spends on compressed copies it made itself (a build's whole renderer is ~2 MB). */
const CACHE_LIMIT = 32 * 1024 * 1024;

export function isCompressible(file: string): boolean {
  return COMPRESSIBLE.has(path.extname(file).toLowerCase());
}

/**
 * The encoding to answer with for an Accept-Encoding header: brotli if accepted, else gzip, else
 * none. A coding with q=0 is refused; "*" accepts any coding not named.
 */
export function chooseEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepted = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip')) return 'gzip';
  return null;
}

/** Writes name.br and name.gz beside every compressible file under dir (the build calls it); all at once, on zlib's threads. */
export async function precompressDir(dir: string): Promise<void> {
  const files = fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && isCompressible(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  await Promise.all(
    files.flatMap((file) => {
      const body = fs.readFileSync(file);
      return (['br', 'gzip'] as const).map(async (encoding) => fs.promises.writeFile(file + SUFFIX[encoding], await BEST[encoding](body)));
    }),
  );
}

interface Cached {
  /** The source it was made from, by size and modification time: a rebuilt file is compressed afresh. */
  stamp: string;
  body: Buffer;
}

export class CompressedCopies {
  private readonly cache = new Map<string, Cached>();
  private size = 0;

  /**
   * The file's body in that encoding: the build's copy if it is at least as new as the file,
   * else one made now (and kept).
   */
  async get(file: string, stat: fs.Stats, encoding: Encoding): Promise<Buffer> {
    const sibling = file + SUFFIX[encoding];
    const siblingStat = fs.statSync(sibling, { throwIfNoEntry: false });
    if (siblingStat?.isFile() && siblingStat.mtimeMs >= stat.mtimeMs) return fs.promises.readFile(sibling);
    const key = `${encoding}:${file}`;
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.cache.get(key);
    if (hit?.stamp === stamp) return hit.body;
    const body = await QUICK[encoding](await fs.promises.readFile(file));
    if (hit) this.size -= hit.body.length;
    if (this.size + body.length > CACHE_LIMIT) {
      this.cache.clear();
      this.size = 0;
    }
    this.cache.set(key, { stamp, body });
    this.size += body.length;
    return body;
  }
}
