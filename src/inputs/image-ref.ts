/**
 * A lazily loaded image: holds where the image is, reads and decodes it only when asked.
 * Decoded pixels are never cached (a run that keeps thousands of records would otherwise keep
 * thousands of bitmaps); fetched http bytes are, because fetching twice is slow and costly.
 * Every read is bounded: files and downloads by `maxImageBytes` (a download is aborted as soon
 * as it passes it), downloads by `fetchTimeoutMs`, pixels by `maxImagePixels` (from the header,
 * before decoding); `allowRemote` and `allowedRoots` confine what an input file may point at.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { RgbImage } from '../image/rgb.ts';
import { decodeImage } from '../image/codec.ts';
import { RlaifvError } from '../util/errors.ts';
import type { ImageSource } from './image-spec.ts';

export interface ImageRef {
  /** What the image is, for messages: a path, a URL, or `inline base64 image (1234 bytes)`. */
  readonly source: string;
  /** The encoded bytes, as stored (any readable format). */
  bytes(): Promise<Uint8Array>;
  /** Decode to RGB; rejects with a message naming `source` and the cause. */
  load(): Promise<RgbImage>;
}

export interface ImageLoadOptions {
  fetchTimeoutMs: number;
  maxImageBytes: number;
  maxImagePixels: number;
  allowRemote: boolean;
  /** Folders local files must lie in, as `allowedRootsOf` gives them (real paths); undefined: anywhere. */
  allowedRoots?: readonly string[] | undefined;
}

/** An image that cannot be read (missing, refused, too big, a failed download); the message names it. */
export class ImageLoadError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'ImageLoadError';
  }
}

/**
 * Wrap a classified source:
 * `imageRef({kind: 'file', path: '/d/a.png'}, {fetchTimeoutMs: 30000, maxImageBytes: 2 ** 26, maxImagePixels: 2 ** 24, allowRemote: true})`.
 */
export function imageRef(source: ImageSource, options: ImageLoadOptions): ImageRef {
  let name = source.kind === 'file' ? source.path
    : source.kind === 'http' ? source.url
    : `inline ${source.what} (${source.bytes.length} bytes)`;
  let fetched: Uint8Array | undefined;
  const bytes = async (): Promise<Uint8Array> => {
    if (source.kind === 'inline') return source.bytes;
    if (source.kind === 'file') {
      name = await locate(source.path, source.fallbacks ?? []);
      return readImageFile(name, options);
    }
    if (!options.allowRemote) throw new ImageLoadError(`remote image ${source.url} refused: allowRemote is false; download the image and give its path`);
    fetched ??= await fetchImage(source.url, options);
    return fetched;
  };
  return {
    get source() { return name; },
    bytes,
    load: async () => decodeImage(await bytes(), name, { maxPixels: options.maxImagePixels }),
  };
}

/**
 * The real paths of `allowedRoots` (resolved against the working directory), once per read, so
 * that each image is checked with one realpath; a folder that does not exist is a mistake in
 * the settings. `await allowedRootsOf(['data'])` -> `['/home/me/data']`.
 */
export async function allowedRootsOf(roots: readonly string[] | undefined): Promise<string[] | undefined> {
  if (roots === undefined) return undefined;
  return Promise.all(roots.map(async (root) => {
    try {
      return await realpath(resolve(root));
    } catch {
      throw new ImageLoadError(`allowedRoots: folder ${root} does not exist; fix the setting or leave it out`);
    }
  }));
}

/** The first of `path` and its fallbacks that exists; none existing is an error naming every one tried. */
async function locate(path: string, fallbacks: readonly string[]): Promise<string> {
  for (const candidate of [path, ...fallbacks]) {
    try {
      await stat(candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return candidate; // readImageFile names the problem
    }
  }
  if (fallbacks.length === 0) throw new ImageLoadError(`image file not found: ${path}; fix the path`);
  throw new ImageLoadError(`image file not found: tried ${[path, ...fallbacks].join(', ')}; a relative path is tried against the input file's folder, then imageRoot, then the working directory`);
}

async function readImageFile(path: string, options: ImageLoadOptions): Promise<Uint8Array> {
  try {
    if (options.allowedRoots) {
      const real = await realpath(path);
      if (!options.allowedRoots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) {
        const via = real === path ? '' : ` (it resolves to ${real})`;
        throw new ImageLoadError(`image file ${path}${via} refused: outside allowedRoots (${options.allowedRoots.join(', ')})`);
      }
    }
    const info = await stat(path);
    if (!info.isFile()) throw new ImageLoadError(`image path ${path} is not a file`);
    if (info.size > options.maxImageBytes) {
      throw new ImageLoadError(`image file ${path} is ${size(info.size)}, over maxImageBytes (${size(options.maxImageBytes)})`);
    }
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if (err instanceof ImageLoadError) throw err;
    throw new ImageLoadError(`cannot read image file ${path}: ${(err as Error).message}`);
  }
}

/** The response body, streamed and aborted once it passes `maxImageBytes` or the time is up. */
async function fetchImage(url: string, options: ImageLoadOptions): Promise<Uint8Array> {
  const { fetchTimeoutMs: ms, maxImageBytes: max } = options;
  const signal = AbortSignal.timeout(ms);
  const failed = (err: unknown): ImageLoadError => {
    const e = err as Error;
    const why = signal.aborted ? `no complete answer within ${ms} ms` : (e.cause as Error | undefined)?.message ?? e.message;
    return new ImageLoadError(`cannot fetch image ${url}: ${why}; check the URL and the network${signal.aborted ? ', or raise fetchTimeoutMs' : ''}`);
  };
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    throw failed(err);
  }
  const tooBig = () => new ImageLoadError(`cannot fetch image ${url}: the response is larger than maxImageBytes (${size(max)}); download stopped`);
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new ImageLoadError(`cannot fetch image ${url}: HTTP ${res.status} ${res.statusText}`);
  }
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    await res.body?.cancel().catch(() => {});
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw tooBig();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ImageLoadError) throw err;
    throw failed(err);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/** `size(67108864)` -> `'64.0 MiB'`. */
function size(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${bytes} bytes`;
}
