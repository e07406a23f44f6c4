/**
 * The audit site's writer of a person's answers: one line per answer appended to `DIR/audit.jsonl`
 * as it is given (the label stage reads them back, see pipeline/label/human-verdicts.ts).
 */
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, statSync, truncateSync } from 'node:fs';
import { auditFilePath, checkHumanVerdictLine, type HumanVerdictLine } from '../pipeline/label/human-verdicts.ts';

/** Append one answer (a whole line in one write, so a crash leaves at most a cut last line). */
export function appendHumanVerdict(runDir: string, v: Omit<HumanVerdictLine, 'at'>, now = new Date()): void {
  checkHumanVerdictLine({ ...v, at: '' }, 'appendHumanVerdict');
  const file = auditFilePath(runDir);
  dropCutLastLine(file);
  appendFileSync(file, `${JSON.stringify({ instructionId: v.instructionId, question: v.question.trim(), answer: v.answer, at: now.toISOString() })}\n`);
}

/** A last line without its newline is a write a crash cut short: it holds no whole answer, so it goes. */
function dropCutLastLine(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return;
  const fd = openSync(file, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
  } finally {
    closeSync(fd);
  }
  const text = readFileSync(file);
  truncateSync(file, text.lastIndexOf(0x0a) + 1);
}
