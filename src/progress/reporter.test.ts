import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressReporter, type ProgressStream } from './reporter.ts';
import { formatTable, STAGE_COLUMNS, Summary } from './summary.ts';
import type { ProgressStats } from './reporter.ts';

/** A `STAGE_COLUMNS` row from a reporter's final stats. */
const stageRow = (s: ProgressStats) => ({ stage: s.label, done: s.done, cached: s.cached, time: s.elapsedSeconds, rate: s.rate });

/** A stream that records writes, and a clock the test moves by hand. */
function fakes(tty: boolean, columns?: number) {
  const writes: string[] = [];
  const stream: ProgressStream = { write: (text: string) => writes.push(text), isTTY: tty, columns };
  let ms = 0;
  return { writes, stream, now: () => ms, advance: (by: number) => { ms += by; }, text: () => writes.join('') };
}

test('on a terminal: one line redrawn in place, at most 10 times a second, with rate, ETA and elapsed', () => {
  const f = fakes(true);
  const p = new ProgressReporter('sample', 100, { stream: f.stream, now: f.now });
  f.advance(1000);
  p.tick(10); // first draw is immediate
  assert.deepEqual(f.writes, ['\rsample  10/100  10.0%  10.0 it/s  ETA 9s  elapsed 1s\x1b[K']);
  f.advance(50);
  p.tick(); // 50 ms later: throttled
  assert.equal(f.writes.length, 1);
  f.advance(50);
  p.tick(); // 100 ms since the last draw
  assert.equal(f.writes.length, 2);
  assert.match(f.writes[1]!, /^\rsample {2}12\/100 {2}12\.0%/);
  for (let i = 0; i < 88; i++) { f.advance(100); p.tick(); }
  const stats = p.finish();
  assert.equal(stats.done, 100);
  assert.ok(Math.abs(stats.rate! - 10) < 0.5, `rate ${stats.rate}`);
  assert.equal(stats.etaSeconds, 0);
  const last = f.writes.at(-1)!;
  assert.match(last, /^\rsample {2}100\/100 {2}100\.0% {2}\d+\.\d+ it\/s {2}done in 10s\x1b\[K\n$/);
  assert.ok(!f.text().slice(0, -1).includes('\n'), 'a terminal line must be redrawn, not repeated');
  // After finish nothing more is written.
  p.tick();
  p.finish();
  assert.equal(f.writes.at(-1), last);
});

test('not a terminal: plain lines every interval and a final line, nothing in between', () => {
  const f = fakes(false);
  const p = new ProgressReporter('label', 1000, { stream: f.stream, now: f.now, unit: 'q', settings: { plainIntervalMs: 10_000 } });
  for (let i = 0; i < 250; i++) { f.advance(100); p.tick(); } // 25 s at 10 q/s
  assert.deepEqual(f.writes, [
    '[label]  100/1000  10.0%  10.0 q/s  ETA 1m30s  elapsed 10s\n',
    '[label]  200/1000  20.0%  10.0 q/s  ETA 1m20s  elapsed 20s\n',
  ]);
  p.finish();
  assert.equal(f.writes.at(-1), '[label]  250/1000  25.0%  10.0 q/s  done in 25s\n');
  assert.ok(f.writes.every((w) => !w.includes('\r') && !w.includes('\x1b')), 'no terminal control codes in logs');
});

test('cached items count as done but not towards the rate, so the ETA is about the work left', () => {
  const f = fakes(false);
  const p = new ProgressReporter('label', 1000, { stream: f.stream, now: f.now, settings: { plainIntervalMs: 1000 } });
  p.update(900, 900); // a resumed run: 900 results were already in the store
  for (let i = 0; i < 20; i++) { f.advance(100); p.tick(); } // then 10 it/s
  const s = p.stats();
  assert.equal(s.done, 920);
  assert.equal(s.cached, 900);
  assert.ok(Math.abs(s.rate! - 10) < 1e-6, `rate ${s.rate}`);
  assert.ok(Math.abs(s.etaSeconds! - 8) < 1e-6, `eta ${s.etaSeconds}`);
  assert.match(f.writes.at(-1)!, /920\/1000 {2}92\.0% {2}10\.0 it\/s {2}ETA 8s {2}elapsed 2s {2}\(900 cached\)/);
});

test('without a total: count, rate and elapsed only; the rate decays when nothing lands', () => {
  const f = fakes(false);
  const p = new ProgressReporter('divide', undefined, { stream: f.stream, now: f.now, settings: { plainIntervalMs: 1000, halfLifeSeconds: 1 } });
  f.advance(1000);
  p.tick(5);
  assert.equal(f.writes.at(-1), '[divide]  5  5.00 it/s  elapsed 1s\n');
  f.advance(3000);
  p.refresh(); // a heartbeat with no new items
  assert.ok(p.stats().rate! < 1.5, `rate ${p.stats().rate}`);
  assert.equal(p.stats().etaSeconds, undefined);
  p.setTotal(10);
  assert.ok(p.stats().etaSeconds! > 0);
});

test('log() writes above the live line; long lines are cut to the terminal width', () => {
  const f = fakes(true, 30);
  const p = new ProgressReporter('a-stage-with-a-long-name', 10, { stream: f.stream, now: f.now });
  p.tick();
  assert.equal(f.writes[0], '\ra-stage-with-a-long-name  1/1\x1b[K');
  p.log('warning: server 2 is slow');
  assert.equal(f.writes[1], '\r\x1b[Kwarning: server 2 is slow\n');
  assert.match(f.writes[2]!, /^\ra-stage/);
});

test('Summary prints aligned columns: numbers right, text left, missing cells as "-"', () => {
  const f = fakes(false);
  const summary = new Summary('iteration 1', ['stage', 'pairs', { key: 'loss', digits: 2 }, 'note']);
  summary.add({ stage: 'sample', pairs: 40 }).add({ stage: 'dpo', pairs: 1234, loss: 0.69314, note: 'best at 3/4 epoch' });
  summary.print(f.stream);
  assert.equal(f.text(), [
    'iteration 1',
    'stage   pairs  loss  note',
    '------  -----  ----  -----------------',
    'sample     40     -  -',
    'dpo      1234  0.69  best at 3/4 epoch',
    '',
  ].join('\n'));
  assert.equal(formatTable([{ key: 'x', header: 'value', align: 'left' }], [{ x: 5 }]), 'value\n-----\n5');
});

test('a reporter\'s final stats make a summary row', () => {
  const f = fakes(false);
  const p = new ProgressReporter('label', 4, { stream: f.stream, now: f.now });
  p.skip(2);
  f.advance(2000);
  p.tick(2);
  const table = formatTable(STAGE_COLUMNS, [stageRow(p.finish())]);
  assert.equal(table, ['stage  done  cached  time       rate', '-----  ----  ------  ----  ---------', 'label     4       2    2s  1.00 it/s'].join('\n'));
});
