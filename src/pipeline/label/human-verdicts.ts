/**
 * A person's verdicts on claims, read by the label stage from `DIR/audit.jsonl` beside a `generate`
 * run (the audit site appends one line per answer given, so nothing answered is lost when the page
 * or the server stops). The last line for an (instruction, question) wins; an answer of `null` clears it.
 *
 * A verdict is keyed by instruction and question, not by candidate: whether the image shows "a red
 * circle at the top left" does not depend on which answer claimed it, and the labeler's answers
 * are cached the same way (one per image and question).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RlaifvError } from '../../util/errors.ts';

const AUDIT_FILE = 'audit.jsonl';

/** A person's answer to a claim's yes/no question. */
export type HumanAnswer = 'yes' | 'no';

/** A run folder's file is missing or malformed: the message names the file and line and what to do (the CLI prints it as one line). */
export class AuditFileError extends RlaifvError {
  override name = 'AuditFileError';
}

export interface HumanVerdictLine {
  instructionId: string;
  question: string;
  answer: HumanAnswer | null;
  /** ISO time the answer was given. */
  at: string;
}

/** The answers in force, by `humanKey(instructionId, question)`. */
export type HumanVerdicts = ReadonlyMap<string, HumanAnswer>;

export function humanKey(instructionId: string, question: string): string {
  return `${instructionId}\u0000${question.trim()}`;
}

export function auditFilePath(runDir: string): string {
  return join(runDir, AUDIT_FILE);
}

/**
 * The answers in force in a run folder's audit file (empty when there is none). A last line cut
 * short by a crash is left out; any other malformed line is an error naming the file and line.
 * `readHumanVerdicts('runs/gen')` -> Map { 'w0-train-3\0Is there a red circle?' => 'no' }
 */
export function readHumanVerdicts(runDir: string): Map<string, HumanAnswer> {
  const file = auditFilePath(runDir);
  const out = new Map<string, HumanAnswer>();
  if (!existsSync(file)) return out;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      // Only the unterminated last line can be a write the process did not finish.
      if (i === lines.length - 1 && !text.endsWith('\n')) continue;
      throw new AuditFileError(`${file}:${i + 1}: not JSON; fix or delete that line (each line is {"instructionId","question","answer":"yes"|"no"|null,"at"})`);
    }
    const v = checkHumanVerdictLine(line, `${file}:${i + 1}`);
    const key = humanKey(v.instructionId, v.question);
    if (v.answer === null) out.delete(key);
    else out.set(key, v.answer);
  }
  return out;
}

/** One line of the audit file checked; errors name `where` and the field. */
export function checkHumanVerdictLine(line: unknown, where: string): HumanVerdictLine {
  const o = line as Partial<HumanVerdictLine> | null;
  if (typeof o !== 'object' || o === null) throw new AuditFileError(`${where}: expected an object`);
  if (typeof o.instructionId !== 'string' || o.instructionId === '') throw new AuditFileError(`${where}: field "instructionId" must be a non-empty string`);
  if (typeof o.question !== 'string' || o.question.trim() === '') throw new AuditFileError(`${where}: field "question" must be a non-empty string`);
  if (o.answer !== 'yes' && o.answer !== 'no' && o.answer !== null) throw new AuditFileError(`${where}: field "answer" must be "yes", "no" or null, got ${JSON.stringify(o.answer)}`);
  return { instructionId: o.instructionId, question: o.question, answer: o.answer, at: typeof o.at === 'string' ? o.at : '' };
}
