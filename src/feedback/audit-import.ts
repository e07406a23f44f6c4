/**
 * The single-person page's answers (`DIR/audit.jsonl`, one line per answer given:
 * `{instructionId, question, answer: "yes"|"no"|null, at}`), read so the store can take them over
 * once as the local person's verdict events. Parsed here rather than through the label stage's
 * reader, which sits in a layer above; the rules are the same: a last line cut short by a crash is
 * skipped, any other malformed line is an error naming file:line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedbackError } from './errors.ts';
import type { YesNo } from './types.ts';

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditLine { instructionId: string; question: string; answer: YesNo | null; at: string | undefined }

const FORMAT = 'each line is {"instructionId","question","answer":"yes"|"no"|null,"at"}';

/** The lines of `DIR/audit.jsonl` in file order, each with its `file:line`; [] when there is none. */
export function readAuditLines(runDir: string): Array<{ line: AuditLine; where: string }> {
  const file = join(runDir, AUDIT_FILE);
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const out: Array<{ line: AuditLine; where: string }> = [];
  lines.forEach((rawLine, i) => {
    const raw = rawLine.trim();
    if (raw === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // Only an unterminated last line can be a write the page's server did not finish.
      if (i === lines.length - 1 && !text.endsWith('\n')) return;
      throw new FeedbackError(`${where}: not JSON; fix or delete that line (${FORMAT})`);
    }
    out.push({ line: checkAuditLine(value, where), where });
  });
  return out;
}

function checkAuditLine(value: unknown, where: string): AuditLine {
  const o = value as Partial<Record<keyof AuditLine, unknown>> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new FeedbackError(`${where}: expected an object (${FORMAT})`);
  if (typeof o.instructionId !== 'string' || o.instructionId === '') throw new FeedbackError(`${where}: field "instructionId" must be a non-empty string`, 'instructionId');
  if (typeof o.question !== 'string' || o.question.trim() === '') throw new FeedbackError(`${where}: field "question" must be a non-empty string`, 'question');
  if (o.answer !== 'yes' && o.answer !== 'no' && o.answer !== null) throw new FeedbackError(`${where}: field "answer" must be "yes", "no" or null, got ${JSON.stringify(o.answer)}`, 'answer');
  const at = typeof o.at === 'string' && !Number.isNaN(Date.parse(o.at)) ? o.at : undefined;
  return { instructionId: o.instructionId, question: o.question, answer: o.answer, at };
}
