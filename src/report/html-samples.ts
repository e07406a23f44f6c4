/**
 * The sample of preference pairs: the image, the question, and chosen/rejected side by side with
 * every claim coloured by the labeler's verdict and flagged where the labeler was wrong.
 */
import { escapeXml, fixed, isNum } from './format.ts';
import type { ClaimVerdict, PairSample, SampleAnswer } from './metrics.ts';

/** Pixels the image is drawn at (longest side), scaled by a whole factor so pixels stay square. */
const IMAGE_PX = 192;

/** The labeler disagreed with ground truth (only known when the truth is). */
export function labelerWrong(c: ClaimVerdict): boolean {
  return typeof c.truth === 'boolean' && c.truth !== c.accepted;
}

/**
 * Base64 PNG payload (a `data:` prefix is removed) or undefined when it is not plain base64 —
 * it goes into an attribute, so anything else is refused rather than escaped.
 */
export function pngPayload(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const b64 = image.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const head = Buffer.from(b64.slice(0, 32), 'base64');
  if (head.length < 24 || head[0] !== 0x89 || head[1] !== 0x50) return undefined;
  return b64;
}

/** Width and height from a base64 PNG's IHDR chunk. `pngSize(b64) // { width: 48, height: 48 }` */
export function pngSize(b64: string): { width: number; height: number } {
  const head = Buffer.from(b64.slice(0, 32), 'base64');
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

function imageHtml(sample: PairSample): string {
  const b64 = pngPayload(sample.imagePng);
  if (!b64) return `<div class="no-image">${sample.imagePng ? 'image is not a valid base64 PNG' : 'no image'}</div>`;
  const { width, height } = pngSize(b64);
  const k = Math.max(1, Math.floor(IMAGE_PX / Math.max(width, height, 1)));
  return `<img class="pixelated" src="data:image/png;base64,${b64}" width="${width * k}" height="${height * k}" alt="instruction image (${width}×${height}, shown ${k}×)">`;
}

function claimClass(c: ClaimVerdict): string {
  return `${c.accepted ? 'accepted' : 'rejected'}${labelerWrong(c) ? ' disagree' : ''}`;
}

function claimTitle(c: ClaimVerdict): string {
  const verdict = c.accepted ? 'accepted' : 'rejected';
  const truth = typeof c.truth === 'boolean' ? `; truth: ${c.truth ? 'true' : 'false'}${labelerWrong(c) ? ' (labeler wrong)' : ''}` : '';
  return `${verdict}, P(yes) ${fixed(c.yes)} / P(no) ${fixed(c.no)}${truth}`;
}

/**
 * The answer text, escaped, with each claim found verbatim in it (first free occurrence, then
 * case-insensitively) wrapped in a `<mark>` of its verdict. Claims are often rewritten by the
 * divide step and then simply stay unmarked in the text; the claim list shows them all.
 * @example highlightClaims('A. B.', [{ text: 'B.', accepted: false }]) // 'A. <mark class="rejected" ...>B.</mark>'
 */
export function highlightClaims(text: string, claims: ClaimVerdict[]): string {
  const spans: Array<{ start: number; end: number; claim: ClaimVerdict }> = [];
  const free = (s: number, e: number) => spans.every((sp) => e <= sp.start || s >= sp.end);
  const lower = text.toLowerCase();
  for (const claim of claims) {
    const needle = claim.text.trim();
    if (!needle) continue;
    for (const hay of [text, lower]) {
      const n = hay === text ? needle : needle.toLowerCase();
      let at = hay.indexOf(n);
      while (at >= 0 && !free(at, at + n.length)) at = hay.indexOf(n, at + 1);
      if (at >= 0) { spans.push({ start: at, end: at + n.length, claim }); break; }
    }
  }
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const sp of spans) {
    out += escapeXml(text.slice(pos, sp.start));
    out += `<mark class="${claimClass(sp.claim)}" title="${escapeXml(claimTitle(sp.claim))}">${escapeXml(text.slice(sp.start, sp.end))}</mark>`;
    pos = sp.end;
  }
  return out + escapeXml(text.slice(pos));
}

function claimItem(c: ClaimVerdict): string {
  const icon = c.accepted ? '✓' : '✗';
  const q = c.question ? `<div class="q">Q: ${escapeXml(c.question)}</div>` : '';
  const probs = isNum(c.yes) || isNum(c.no) ? `<span class="p">P(yes) ${fixed(c.yes)} · P(no) ${fixed(c.no)}</span>` : '';
  const wrong = labelerWrong(c)
    ? `<span class="badge" title="the labeler's verdict disagrees with ground truth">⚠ labeler wrong: claim is ${c.truth ? 'true' : 'false'}</span>` : '';
  return `<li class="claim ${claimClass(c)}"><span class="icon" aria-label="${c.accepted ? 'accepted' : 'rejected'}">${icon}</span> ${escapeXml(c.text)} ${probs} ${wrong}${q}</li>`;
}

function answerHtml(kind: 'chosen' | 'rejected', a: SampleAnswer): string {
  const rejected = a.claims.filter((c) => !c.accepted).length;
  const wrong = a.claims.filter(labelerWrong).length;
  const score = isNum(a.score) ? `score ${a.score}` : 'no score';
  const summary = `${score} · ${rejected} of ${a.claims.length} claims rejected${wrong ? ` · ${wrong} verdict${wrong > 1 ? 's' : ''} wrong` : ''}`;
  const claims = a.claims.length ? `<ul class="claims">${a.claims.map(claimItem).join('')}</ul>` : '<p class="muted">no claims</p>';
  return `<div class="answer ${kind}"><h4>${kind} <span class="muted">(${escapeXml(summary)})</span></h4>` +
    `<p class="text">${highlightClaims(a.text, a.claims)}</p>${claims}</div>`;
}

/** One pair as a card. */
function pairCard(s: PairSample): string {
  const id = s.instructionId ? ` · ${escapeXml(s.instructionId)}` : '';
  return `<article class="pair"><header>round ${s.round}${id}</header><div class="pair-body">` +
    `<div class="prompt">${imageHtml(s)}<p class="question">${escapeXml(s.question)}</p></div>` +
    `<div class="answers">${answerHtml('chosen', s.chosen)}${answerHtml('rejected', s.rejected)}</div></div></article>`;
}

/** The section body: a key, then up to `limit` cards. */
export function samplesHtml(samples: PairSample[], limit: number): string {
  if (samples.length === 0) return '<p class="muted">No sample pairs were recorded.</p>';
  const shown = samples.slice(0, limit);
  const more = samples.length > shown.length ? ` Showing ${shown.length} of ${samples.length}.` : '';
  return `<p class="key"><mark class="accepted">accepted by the labeler</mark> <mark class="rejected">rejected</mark> ` +
    `<mark class="accepted disagree">dashed outline: labeler disagrees with ground truth</mark>${more}</p>` +
    shown.map(pairCard).join('\n');
}
