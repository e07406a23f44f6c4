/**
 * A lazily loaded image: holds where the image is, reads and decodes it only when asked.
 * Decoded pixels are never cached (a run that keeps thousands of records would otherwise keep
 * thousands of bitmaps); fetched http bytes are, because fetching twice is slow and costly.
 */
import { readFile } from 'node:fs/promises';
import type { RgbImage } from '../image/rgb.ts';
import { decodeImage } from '../image/codec.ts';
import type { ImageSource } from './image-spec.ts';

export interface ImageRef {
  /** What the image is, for messages: a path, a URL, or `inline base64 image (1234 bytes)`. */
  readonly source: string;
  /** The encoded bytes (PNG or JPEG). */
  bytes(): Promise<Uint8Array>;
  /** Decode to RGB; rejects with a message naming `source` and the cause. */
  load(): Promise<RgbImage>;
}

export interface ImageLoadOptions {
  fetchTimeoutMs: number;
}

/** Wrap a classified source: `imageRef({kind: 'file', path: '/d/a.png'}, {fetchTimeoutMs: 30000})`. */
export function imageRef(source: ImageSource, options: ImageLoadOptions): ImageRef {
  const name = source.kind === 'file' ? source.path
    : source.kind === 'http' ? source.url
    : `inline ${source.what} (${source.bytes.length} bytes)`;
  let fetched: Uint8Array | undefined;
  const bytes = async (): Promise<Uint8Array> => {
    if (source.kind === 'inline') return source.bytes;
    if (source.kind === 'file') return readImageFile(source.path);
    fetched ??= await fetchImage(source.url, options.fetchTimeoutMs);
    return fetched;
  };
  return {
    source: name,
    bytes,
    load: async () => decodeImage(await bytes(), name),
  };
}

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`image file not found: ${path}; fix the path (relative paths resolve against the input file's folder or imageRoot)`);
    throw new Error(`cannot read image file ${path}: ${(err as Error).message}`);
  }
}

async function fetchImage(url: string, timeoutMs: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
    throw new Error(`cannot fetch image ${url}: ${why}; check the URL and the network, or raise fetchTimeoutMs`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`cannot fetch image ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}
