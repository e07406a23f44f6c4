/**
 * Parsing of the bullet-list answers of the divide and convert steps (docs/method.md §2.1-2.2): a `### ...`
 * header, then `- item` lines. Shared by parseFacts and parseQuestions.
 */

/** A header line: `### Facts:`, `## Facts`, `# Facts`; like the official parser, any line with `###`. */
function isHeaderLine(line: string): boolean {
  const t = line.trim();
  return /^#{2,}/.test(t) || /^#(\s|$)/.test(t) || t.includes('###');
}

const BULLET = /^(?:[-•–+]|\*(?!\*))\s*|^\d{1,3}[.)]\s+/;  // `**bold**` is not a bullet

/** `- fact`, `* fact`, `• fact`, `1. fact`, `2) fact` (leading spaces allowed). */
function hasBullet(line: string): boolean {
  return BULLET.test(line.trim());
}

/** `stripBullet('  1. A dog.') === 'A dog.'`; a line without a bullet is only trimmed. */
export function stripBullet(line: string): string {
  return line.trim().replace(BULLET, '').trim();
}

/**
 * The items of a bullet-list answer. Rules, in order (the official parser only drops empty and `###`
 * lines and the first character of every other line; these rules agree with it on well-formed output
 * and are stricter on malformed output):
 * 1. If there is a header line, everything before the first header is chatter and is dropped, and
 *    the list ends at the next header that follows at least one item (so an echoed
 *    `### Question-answer pair:` section is not read as facts).
 * 2. Empty lines and header lines are dropped.
 * 3. If any remaining line has a bullet, only bulleted lines are items (other lines are chatter such as
 *    "Here are the facts:" or "I hope this helps"); if none has one, every line is an item.
 * 4. The bullet is stripped; items left with no letter or digit (`- ...`) and echoed placeholders
 *    (`- {first fact}`) are dropped.
 * 5. Duplicates are KEPT, in order: each is a claim the labeler checks, as in the official pipeline.
 *
 * `parseBulletList('Sure!\n### Facts:\n- A cat.\n* A mat.\n') -> ['A cat.', 'A mat.']`
 */
export function parseBulletList(output: string): string[] {
  const lines = output.split(/\r\n|\r|\n/);
  const firstHeader = lines.findIndex(isHeaderLine);
  const section: string[] = [];
  for (const line of firstHeader === -1 ? lines : lines.slice(firstHeader + 1)) {
    if (isHeaderLine(line)) {
      if (firstHeader !== -1 && section.length > 0) break;
      continue;
    }
    if (line.trim() !== '') section.push(line);
  }
  const bulleted = section.some(hasBullet) ? section.filter(hasBullet) : section;
  return bulleted.map(stripBullet).filter((item) => /[\p{L}\p{N}]/u.test(item) && !/^\{[^{}]*\}$/.test(item));
}
