import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

/**
 * The desktop app's update feed: a read-only folder served under /updates/<file>, in the layout
 * electron-builder's "generic" publisher produces (latest.yml, latest-linux.yml, latest-mac.yml,
 * the installers and their .blockmap files). electron-updater reads the channel file, then
 * downloads the installer either whole or, when it has the previous version's block map,
 * differentially with Range requests (several ranges per request, answered as
 * multipart/byteranges).
 *
 * Only plain files directly inside the folder are served: no listing, no sub-folders, no dot
 * files, nothing outside the folder (also not through a symbolic link).
 */

const CONTENT_TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // gzip-compressed JSON, but the client wants the bytes as they are (no Content-Encoding)
  '.blockmap': 'application/octet-stream',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.msi': 'application/x-msi',
  '.7z': 'application/x-7z-compressed',
  '.appimage': 'application/vnd.appimage',
  '.deb': 'application/vnd.debian.binary-package',
  '.rpm': 'application/x-rpm',
  '.dmg': 'application/x-apple-diskimage',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/** electron-updater asks for at most 1000 ranges at once; more than this is answered in full. */
const MAX_RANGES = 2000;

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A file name that may be served: one path segment, no dot files, no separators or controls. */
export function isServableName(name: string): boolean {
  return /^[A-Za-z0-9_][^/\\\0-\x1f\x7f]*$/.test(name) && name !== '..' && !name.includes('..') && name.length <= 255;
}

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

/**
 * Parses a Range header against a file size (RFC 9110 §14.2). Returns `null` when the header is
 * to be ignored (malformed, not bytes, too many ranges: the whole file is sent), `'unsatisfiable'`
 * when no range overlaps the file, or the ranges in the order asked (not merged: the client
 * matches parts to its requests by position).
 */
export function parseRange(header: string, size: number): ByteRange[] | 'unsatisfiable' | null {
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return null;
  const specs = m[1]!.split(',');
  if (specs.length > MAX_RANGES) return null;
  const ranges: ByteRange[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === '') continue;
    const r = /^(\d*)-(\d*)$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return null;
    if (r[1] === '') {
      // suffix: the last N bytes
      const n = Number(r[2]);
      if (n === 0) continue;
      ranges.push({ start: Math.max(0, size - n), end: size - 1 });
      continue;
    }
    const start = Number(r[1]);
    const end = r[2] === '' ? size - 1 : Number(r[2]);
    if (end < start) return null;
    if (start >= size) continue;
    ranges.push({ start, end: Math.min(end, size - 1) });
  }
  if (ranges.length === 0 || size === 0) return 'unsatisfiable';
  return ranges;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.includes(path.sep);
}

/**
 * Handles GET/HEAD /updates/<file> from `dir`. `name` is the raw (still percent-encoded) part of
 * the path after /updates/.
 */
// Long by design: one request from path checks to the byte range sent; each step returns early with its own status.
export async function serveUpdateFile(dir: string, name: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const plain = (status: number, message: string, headers: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(req.method === 'HEAD' ? undefined : `${message}\n`);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method not allowed', { Allow: 'GET, HEAD' });

  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return plain(400, 'Bad file name');
  }
  if (!isServableName(decoded)) return plain(404, 'Not found');

  const root = path.resolve(dir);
  const candidate = path.resolve(root, decoded);
  if (!isInside(root, candidate)) return plain(404, 'Not found');

  let file: string;
  let stat: fs.Stats;
  try {
    // Symbolic links are followed only if they stay inside the folder.
    const [realRoot, realFile] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return plain(404, 'Not found');
    file = realFile;
    stat = await fs.promises.stat(file);
  } catch {
    return plain(404, 'Not found');
  }
  if (!stat.isFile()) return plain(404, 'Not found');

  const size = stat.size;
  const etag = `"${size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const lastModified = stat.mtime.toUTCString();
  const type = contentTypeOf(decoded);
  const isChannelFile = /\.ya?ml$/i.test(decoded);
  const common: http.OutgoingHttpHeaders = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': lastModified,
    // The channel files change with every release; the artefacts are named by version.
    'Cache-Control': isChannelFile ? 'no-cache' : 'public, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
  };

  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    res.writeHead(304, common);
    res.end();
    return;
  }

  const rangeHeader = req.headers.range;
  const ifRange = req.headers['if-range'];
  const rangeApplies = rangeHeader !== undefined && (ifRange === undefined || ifRange === etag || ifRange === lastModified);
  const ranges = rangeApplies ? parseRange(rangeHeader, size) : null;

  if (ranges === 'unsatisfiable') {
    return plain(416, 'Range not satisfiable', { ...common, 'Content-Range': `bytes */${size}` });
  }

  if (ranges === null) {
    res.writeHead(200, { ...common, 'Content-Type': type, 'Content-Length': size });
    if (req.method === 'HEAD') return void res.end();
    return pipeFile(file, res);
  }

  if (ranges.length === 1) {
    const { start, end } = ranges[0]!;
    res.writeHead(206, { ...common, 'Content-Type': type, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${size}` });
    if (req.method === 'HEAD') return void res.end();
    return pipeFile(file, res, { start, end });
  }

  // Several ranges: one multipart/byteranges body, parts in the order asked.
  const boundary = randomBytes(12).toString('hex');
  const heads = ranges.map(
    (r, i) => Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = heads.reduce((n, h, i) => n + h.length + ranges[i]!.end - ranges[i]!.start + 1, 0) + tail.length;
  let fd: fs.promises.FileHandle;
  try {
    fd = await fs.promises.open(file, 'r');
  } catch {
    return plain(404, 'Not found');
  }
  res.writeHead(206, { ...common, 'Content-Type': `multipart/byteranges; boundary=${boundary}`, 'Content-Length': length });
  try {
    if (req.method === 'HEAD') return void res.end();
    for (let i = 0; i < ranges.length; i++) {
      if (res.destroyed) return;
      await write(res, heads[i]!);
      const { start, end } = ranges[i]!;
      for (let pos = start; pos <= end; ) {
        const n = Math.min(256 * 1024, end - pos + 1);
        const { buffer, bytesRead } = await fd.read(Buffer.allocUnsafe(n), 0, n, pos);
        if (bytesRead === 0) throw new Error('file shrank while being served');
        await write(res, buffer.subarray(0, bytesRead));
        pos += bytesRead;
      }
    }
    res.end(tail);
  } catch {
    res.destroy();
  } finally {
    await fd.close();
  }
}

function pipeFile(file: string, res: http.ServerResponse, range?: { start: number; end: number }): Promise<void> {
  return new Promise((resolve) => {
    const stream = fs.createReadStream(file, range ?? {});
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function write(res: http.ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.write(chunk)) return resolve();
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('connection closed'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
