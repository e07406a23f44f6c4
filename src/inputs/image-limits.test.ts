import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { readInstructions, type InstructionRecord } from './read-instructions.ts';
import type { FailedRecord } from './location.ts';
import { collect, solid, tempDir } from './testing.ts';

const red = solid(255, 0, 0);
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const outcome = (r: InstructionRecord | FailedRecord) => (r.ok ? 'ok' : r.reason);
const only = (records: Array<InstructionRecord | FailedRecord>): InstructionRecord => {
  const r = records[0];
  assert.ok(records.length === 1 && r?.ok, records.map(outcome).join(' | '));
  return r as InstructionRecord;
};

/** Records of `rows` written to DIR/in.jsonl, read with `options`: 'ok' or the failure reason of each. */
async function read(dir: string, rows: unknown[], options: Parameters<typeof readInstructions>[1] = {}): Promise<string[]> {
  await writeFile(join(dir, 'in.jsonl'), jsonl(rows));
  return (await collect(readInstructions(join(dir, 'in.jsonl'), options))).map(outcome);
}

/** A loopback server whose every request is answered by `handler`. */
async function server(handler: (res: ServerResponse) => void) {
  const s = createServer((_req, res) => handler(res));
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => { s.closeAllConnections(); s.close(() => ok()); }),
  };
}

test("relative paths: the input file's folder, then imageRoot, then the working directory", async () => {
  const { dir, cleanup } = await tempDir();
  const cwd = process.cwd();
  try {
    // The official example input: examples/detail_test_30_input.jsonl names ./examples/x.jpg, relative to the repository root.
    const repo = join(dir, 'RLAIF-V');
    await mkdir(join(repo, 'examples'), { recursive: true });
    await writeFile(join(repo, 'examples', 'x.jpg'), red.png);
    await writeFile(join(repo, 'examples', 'in.jsonl'), jsonl([{ id: 'a', image: './examples/x.jpg', question: 'Q' }]));
    const input = join(repo, 'examples', 'in.jsonl');
    const [missing] = (await collect(readInstructions(input))).map(outcome);
    assert.match(missing!, new RegExp(`^image file not found: tried ${join(repo, 'examples', 'examples', 'x.jpg')}, ${join(cwd, 'examples', 'x.jpg')}; a relative path is tried against the input file's folder, then imageRoot, then the working directory$`));
    // imageRoot, given relative to the working directory.
    const byRoot = only(await collect(readInstructions(input, { imageRoot: relative(cwd, repo) })));
    assert.equal(byRoot.image.source, join(repo, 'examples', 'x.jpg'));
    assert.deepEqual(await byRoot.image.load(), red.image);
    // The working directory.
    process.chdir(repo);
    assert.equal(only(await collect(readInstructions(input))).image.source, join(repo, 'examples', 'x.jpg'));
    // The input file's folder comes first.
    await writeFile(join(repo, 'examples', 'examples-first.png'), solid(0, 0, 255).png);
    await writeFile(join(repo, 'examples-first.png'), red.png);
    await writeFile(join(repo, 'examples', 'first.jsonl'), jsonl([{ id: 'b', image: 'examples-first.png', question: 'Q' }]));
    const own = only(await collect(readInstructions(join(repo, 'examples', 'first.jsonl'), { imageRoot: repo })));
    assert.deepEqual((await own.image.load()).data.subarray(0, 3), new Uint8Array([0, 0, 255]));
    // A path that exists nowhere and no fallback: the one path.
    assert.deepEqual(await read(dir, [{ id: 'c', image: join(dir, 'nope.png'), question: 'Q' }]), [`image file not found: ${join(dir, 'nope.png')}; fix the path`]);
  } finally {
    process.chdir(cwd);
    await cleanup();
  }
});

test('the format is told by the content: a WebP named .jpg, a text file named .png', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'really-webp.jpg'), await sharp(Buffer.from(red.image.data), { raw: { width: 3, height: 2, channels: 3 } }).webp({ lossless: true }).toBuffer());
    await writeFile(join(dir, 'notes.png'), 'api_key=sk-secret-value\n');
    const got = await read(dir, [{ id: 'w', image: 'really-webp.jpg', question: 'Q' }, { id: 't', image: 'notes.png', question: 'Q' }]);
    assert.equal(got[0], 'ok');
    assert.match(got[1]!, /notes\.png: not a PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP image \(24 bytes that look like text\)/);
    assert.doesNotMatch(got[1]!, /secret|61 70 69/);
  } finally {
    await cleanup();
  }
});

test('maxImagePixels, maxImageBytes and allowRemote refuse a record with a message; the run goes on', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'r.png'), red.png);
    const rows = [{ id: 'a', image: 'r.png', question: 'Q' }, { id: 'h', image: 'http://127.0.0.1:9/x.png', question: 'Q' }];
    assert.deepEqual((await read(dir, rows, { maxImagePixels: 5 }))[0], `${join(dir, 'r.png')}: image is 3x2 (0.0 MP), over the limit of 5 pixels (0.0 MP); downscale it, or raise maxImagePixels`);
    assert.equal((await read(dir, rows, { maxImageBytes: 10 }))[0], `image file ${join(dir, 'r.png')} is ${red.png.length} bytes, over maxImageBytes (10 bytes)`);
    assert.deepEqual(await read(dir, rows, { allowRemote: false }), ['ok', 'remote image http://127.0.0.1:9/x.png refused: allowRemote is false; download the image and give its path']);
  } finally {
    await cleanup();
  }
});

test('allowedRoots confines local files, symlinks resolved', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const data = join(dir, 'data');
    const secret = join(dir, 'secret');
    await mkdir(data);
    await mkdir(secret);
    await writeFile(join(data, 'in.png'), red.png);
    await writeFile(join(secret, 'out.png'), red.png);
    await symlink(join(secret, 'out.png'), join(data, 'link.png'));
    const rows = ['in.png', join(secret, 'out.png'), 'link.png', `file://${join(secret, 'out.png')}`].map((image, i) => ({ id: `r${i}`, image: image.startsWith('/') || image.startsWith('file:') ? image : `data/${image}`, question: 'Q' }));
    assert.deepEqual(await read(dir, rows), ['ok', 'ok', 'ok', 'ok'], 'no allowedRoots: anywhere');
    const got = await read(dir, rows, { allowedRoots: [data] });
    assert.equal(got[0], 'ok');
    assert.equal(got[1], `image file ${join(secret, 'out.png')} refused: outside allowedRoots (${data})`);
    assert.equal(got[2], `image file ${join(data, 'link.png')} (it resolves to ${join(secret, 'out.png')}) refused: outside allowedRoots (${data})`);
    assert.equal(got[3], got[1]);
    // A root that is a prefix of another folder's name does not admit it.
    assert.match((await read(dir, rows, { allowedRoots: [join(dir, 'dat')] }).catch((e: Error) => [e.message]))[0]!, /allowedRoots: folder .*dat does not exist/);
    await mkdir(join(dir, 'dat'));
    assert.match((await read(dir, rows, { allowedRoots: [join(dir, 'dat')] }))[0]!, /outside allowedRoots/);
    await assert.rejects(read(dir, rows, { allowedRoots: [] }), /read option 'allowedRoots': needs at least one folder/);
  } finally {
    await cleanup();
  }
});

test('downloads are bounded in time (a silent server, a slow body) and in bytes (an endless body)', async () => {
  const { dir, cleanup } = await tempDir();
  const silent = await server(() => { /* never answers */ });
  const dribble = await server((res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(red.png.subarray(0, 10));
    const t = setInterval(() => res.write('x'), 50);
    res.on('close', () => clearInterval(t));
  });
  let sent = 0;
  const endless = await server((res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    const pump = () => { while (!res.destroyed && res.write(chunk)) sent += chunk.length; };
    res.on('drain', pump);
    pump();
  });
  const declared = await server((res) => { res.writeHead(200, { 'content-length': String(2 ** 40) }); res.write('x'); });
  try {
    const rows = [silent, dribble, endless, declared].map((s, i) => ({ id: `r${i}`, image: `${s.url}/x.png`, question: 'Q' }));
    const started = performance.now();
    const rss = process.memoryUsage().rss;
    const got = await read(dir, rows, { fetchTimeoutMs: 400, maxImageBytes: 2 ** 20 });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(got[0], `cannot fetch image ${silent.url}/x.png: no complete answer within 400 ms; check the URL and the network, or raise fetchTimeoutMs`);
    assert.equal(got[1], `cannot fetch image ${dribble.url}/x.png: no complete answer within 400 ms; check the URL and the network, or raise fetchTimeoutMs`);
    assert.equal(got[2], `cannot fetch image ${endless.url}/x.png: the response is larger than maxImageBytes (1.0 MiB); download stopped`);
    assert.equal(got[3], `cannot fetch image ${declared.url}/x.png: the response is larger than maxImageBytes (1.0 MiB); download stopped`);
    assert.ok(seconds < 3, `took ${seconds.toFixed(1)} s`);
    assert.ok(sent < 64 * 2 ** 20, `the endless server got to send ${sent} bytes`);
    assert.ok(process.memoryUsage().rss - rss < 200 * 2 ** 20, 'memory stays bounded');
  } finally {
    for (const s of [silent, dribble, endless, declared]) await s.close();
    await cleanup();
  }
});
