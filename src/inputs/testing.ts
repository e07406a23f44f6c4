/** Fixtures shared by the input and export tests: temp folders, tiny images, a loopback server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { RgbImage } from '../image/rgb.ts';
import { encodePng } from '../image/codec.ts';

/** A fresh temp folder and a function that removes it. */
export async function tempDir(prefix = 'rlaifv-io-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A w×h image filled with one colour, plus its PNG bytes. */
export function solid(r: number, g: number, b: number, w = 3, h = 2): { image: RgbImage; png: Uint8Array } {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set([r, g, b], i * 3);
  const image = { width: w, height: h, data };
  return { image, png: encodePng(image) };
}

/** An 8×8 JPEG of one grey level. */
export function greyJpeg(level = 128): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(level) }, 90).data);
}

/** Serve fixed paths on 127.0.0.1 (anything else is 404); `close()` when done. */
export async function serve(routes: Record<string, Uint8Array>): Promise<{ url: string; hits: Map<string, number>; close: () => Promise<void> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = routes[path];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(body));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** Drain an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
