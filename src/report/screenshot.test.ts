/**
 * Renders the fixture report in headless Chromium and checks the screenshot really shows the
 * charts and verdict colours (catches CSS/SVG that is valid text but draws nothing).
 * Skipped when Chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeImage } from '../image/codec.ts';
import { renderReport } from './html.ts';
import { fixtureMetrics } from './metrics.fixture.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Pixels within `tol` of an RGB colour. Thresholds below sit at ~1/3 of what the fixture draws at 1240 px. */
function countColour(img: { data: Uint8Array }, [r, g, b]: [number, number, number], tol = 12): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 3) {
    if (Math.abs(img.data[i]! - r) <= tol && Math.abs(img.data[i + 1]! - g) <= tol && Math.abs(img.data[i + 2]! - b) <= tol) n++;
  }
  return n;
}

test('the report renders in headless Chromium with visible charts and verdict colours', { skip: CHROMIUM ? false : 'chromium not installed (/usr/bin/chromium); install it to run this visual check' }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rlaifv-shot-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const html = join(dir, 'report.html');
  const png = join(dir, 'shot.png');
  await writeFile(html, renderReport(fixtureMetrics()));
  await promisify(execFile)(CHROMIUM!, [
    '--headless', '--disable-gpu', '--no-sandbox', '--hide-scrollbars', '--no-first-run', '--disable-extensions',
    `--user-data-dir=${join(dir, 'profile')}`, '--window-size=1240,3200', `--screenshot=${png}`, `file://${html}`,
  ], { timeout: 30_000 });
  const img = await decodeImage(new Uint8Array(await readFile(png)), png);
  assert.equal(img.width, 1240);
  assert.ok(countColour(img, [0xd5, 0x5e, 0x00]) > 8000, 'CHAIRi line and rejected rewards/bars are drawn (vermillion)');
  assert.ok(countColour(img, [0x00, 0x72, 0xb2]) > 10000, 'CHAIRs line and bars are drawn (blue)');
  assert.ok(countColour(img, [0xd8, 0xf5, 0xdf], 4) > 30000, 'accepted claims are highlighted green');
  assert.ok(countColour(img, [0xfd, 0xe0, 0xde], 4) > 20000, 'rejected claims are highlighted red');
  assert.ok(countColour(img, [220, 30, 30], 20) > 4000, 'both sample images are shown, scaled up 4x');
});
