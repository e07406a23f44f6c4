import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../util/temp-dir.ts';
import { FeedbackStore } from './store.ts';

const FIXTURE = fileURLToPath(new URL('./durability.fixture.ts', import.meta.url));

test('store: every event a process acknowledged is in the store after it is killed with SIGKILL mid-loop', async () => {
  const dir = tempDir('rlaifv-fb-kill-');
  const setup = FeedbackStore.open(dir);
  const person = setup.invite('Ann', 'annotator').person.id;
  setup.close();

  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, person], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acks: Array<{ seq: number; instructionId: string }> = [];
  let pending = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!; // an unfinished line is not an acknowledgement
    for (const line of lines) {
      const [, seq, instructionId] = line.split(' ');
      acks.push({ seq: Number(seq), instructionId: instructionId! });
    }
    if (acks.length >= 40 && !child.killed) child.kill('SIGKILL');
  });
  assert.equal(await exited, 'SIGKILL', 'the child was killed, not finished');
  assert.ok(acks.length >= 40, `${acks.length} acknowledged`);

  const after = FeedbackStore.open(dir);
  const stored = new Map(after.events().map((e) => [e.seq, e]));
  for (const ack of acks) {
    const e = stored.get(ack.seq);
    assert.ok(e && e.kind === 'verdict' && e.instructionId === ack.instructionId && e.personId === person, `acknowledged event ${ack.seq} (${ack.instructionId}) is missing`);
  }
  assert.ok(after.count() >= acks.length);
  after.close();
});
