/**
 * Oversized images sent to `rlaifv serve`: the server's peak RSS under a burst of concurrent
 * requests whose image is far over the pixel limit (a genuine 10000x10000 PNG of ~290 KB, and a
 * ~700-byte JPEG whose header declares 9000x9000), and how long it takes to answer them. The
 * references, measured in the same run: the server's RSS before the burst (model loaded) and the
 * time of one ordinary 48x48 yes/no request. Then how far libvips' JPEG decoding (libjpeg-turbo)
 * is from jpeg-js', which it replaced, on world scenes saved as JPEG.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { decodeImage, encodePng } from '../src/image/codec.ts';
import { greyJpeg, solidPng, withJpegSize } from '../src/image/testing.ts';
import { createWorld, renderScene } from '../src/world/index.ts';
import type { Row } from './model-bench.ts';

const ROOT = join(import.meta.dirname, '..');
const BURST = 8;

export async function imageBench(): Promise<Row[]> {
  const png = await solidPng(10_000, 10_000);
  const jpeg = withJpegSize(greyJpeg(), 9000, 9000);
  const server = await startServe();
  const rows: Row[] = [];
  try {
    const small = dataUrl(encodePng({ width: 48, height: 48, data: new Uint8Array(48 * 48 * 3).fill(120) }));
    await post(server.url, small); // warm-up: the first request compiles the model's kernels
    const t0 = performance.now();
    const ok = await post(server.url, small);
    const ordinaryMs = performance.now() - t0;
    if (ok !== 200) throw new Error(`image bench: an ordinary request got HTTP ${ok}`);
    for (const [what, bytes] of [[`10000x10000 PNGs (${kb(png)} KB each)`, png], [`JPEGs declaring 9000x9000 (${jpeg.length} bytes each)`, jpeg]] as const) {
      const url = dataUrl(bytes);
      const before = server.resetPeak();
      const started = performance.now();
      const statuses = await Promise.all(Array.from({ length: BURST }, () => post(server.url, url)));
      const seconds = (performance.now() - started) / 1000;
      const peak = server.peak();
      const counts = [...new Set(statuses)].map((s) => `${statuses.filter((x) => x === s).length}x HTTP ${s}`).join(', ');
      rows.push({ name: `serve peak RSS, ${BURST} concurrent ${what}`, value: mib(peak), unit: 'MiB', note: `+${mib(peak - before).toFixed(0)} MiB over the server before the burst (${mib(before).toFixed(0)} MiB, model loaded); ${counts}` });
      rows.push({ name: `serve time to answer them`, value: seconds, unit: 's', note: `${(seconds / (ordinaryMs / 1000)).toFixed(1)}x one ordinary 48x48 yes/no request (${ordinaryMs.toFixed(0)} ms)` });
    }
  } finally {
    await server.close();
  }
  rows.push(...await jpegDifference());
  return rows;
}

/** Largest and mean absolute channel difference between the two JPEG decoders, on 20 world scenes, per chroma subsampling. */
async function jpegDifference(): Promise<Row[]> {
  const world = createWorld();
  const rows: Row[] = [];
  for (const [name, encode] of [
    ['4:4:4 (jpeg-js encoder, q90)', (img: { width: number; height: number; data: Uint8Array }) => {
      const rgba = new Uint8Array(img.width * img.height * 4).fill(255);
      for (let p = 0; p < img.width * img.height; p++) rgba.set(img.data.subarray(p * 3, p * 3 + 3), p * 4);
      return Promise.resolve(new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: rgba }, 90).data));
    }],
    ['4:2:0 (libvips encoder, q80)', async (img: { width: number; height: number; data: Uint8Array }) => new Uint8Array(await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer())],
  ] as const) {
    let max = 0; let sum = 0; let n = 0;
    for (let i = 0; i < 20; i++) {
      const bytes = await encode(renderScene(world.scene('test', i)));
      const old = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      const now = await decodeImage(bytes);
      for (let p = 0; p < now.width * now.height; p++) {
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(old.data[p * 4 + c]! - now.data[p * 3 + c]!);
          max = Math.max(max, d); sum += d; n++;
        }
      }
    }
    rows.push({ name: `JPEG ${name}: libvips vs jpeg-js, largest pixel difference`, value: max, unit: '/255', note: `mean ${(sum / n).toFixed(2)} over 20 world scenes` });
  }
  return rows;
}

interface ServeProcess {
  url: string;
  /** Reset the kernel's peak-RSS mark (or the sampler's) and return the RSS now, in bytes. */
  resetPeak(): number;
  /** Peak RSS since the last reset, in bytes. */
  peak(): number;
  close(): Promise<void>;
}

/** `rlaifv serve` on the shipped policy, in a process of its own, on a free port. */
async function startServe(): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/rlaifv.js'), 'serve', '--model', join(ROOT, 'models/policy-base'), '--port', '0', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /serving \S+ at (\S+)\/v1/.exec(err);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`rlaifv serve exited with ${code}: ${err.trim()}`)));
  });
  // The kernel keeps the peak (VmHWM) and lets its owner reset it (clear_refs 5); where that is
  // not allowed, sample VmRSS every 10 ms instead.
  const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const field = (name: string) => 1024 * Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status())![1]);
  let sampled = 0;
  let sampler: NodeJS.Timeout | undefined;
  let kernelPeak = true;
  return {
    url,
    resetPeak() {
      try {
        writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
      } catch {
        kernelPeak = false;
      }
      sampled = field('VmRSS');
      clearInterval(sampler);
      sampler = setInterval(() => { sampled = Math.max(sampled, field('VmRSS')); }, 10);
      return field('VmRSS');
    },
    peak() {
      clearInterval(sampler);
      return kernelPeak ? field('VmHWM') : Math.max(sampled, field('VmRSS'));
    },
    close: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  await exited;
}

/** A yes/no request about `url`'s image; resolves to the HTTP status. */
async function post(base: string, url: string): Promise<number> {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      max_tokens: 1, temperature: 0, logprobs: true, top_logprobs: 5,
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }, { type: 'text', text: 'Is there a cat? Please answer yes or no.' }] }],
    }),
    signal: AbortSignal.timeout(600_000),
  });
  await res.arrayBuffer();
  return res.status;
}

const dataUrl = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
const mib = (b: number) => b / 2 ** 20;
const kb = (b: Uint8Array) => Math.round(b.length / 1000);
