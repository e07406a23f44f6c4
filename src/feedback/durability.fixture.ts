/**
 * Run by store-durability.test.ts as a child process: records verdicts for person `argv[3]` in the
 * store of run folder `argv[2]` until it is killed, printing `ack SEQ INSTRUCTION` after each
 * `record` returns (stdout to a pipe is synchronous on Linux, so a printed ack left the process).
 */
import { FeedbackStore } from './store.ts';

const [dir, personId] = process.argv.slice(2) as [string, string];
const store = FeedbackStore.open(dir);
for (let i = 0; i < 1_000_000; i++) {
  const e = store.record(personId, { kind: 'verdict', instructionId: `i${i}`, question: 'Is it red?', answer: i % 2 === 0 ? 'yes' : 'no' });
  process.stdout.write(`ack ${e.seq} i${i}\n`);
}
