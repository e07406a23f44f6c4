/**
 * The audit page: one self-contained HTML document (inline CSS and JS, no external resources, no
 * build step) where a person checks the AI labeler's verdicts claim by claim. It talks only to the
 * audit server on its own origin, through the shapes in `./types.ts`:
 *
 * - `GET /api/run` fills the header (counts, how often the labeler agrees with the person).
 * - `GET /api/instructions` fills the sidebar (filterable: all / with pairs / disputed / not yet judged).
 * - `GET /api/instructions/:id` fills the main panel: the image scaled up, the question, and each
 *   candidate with its claims highlighted by the final verdict and a table of claims with yes / no /
 *   clear controls.
 * - `POST /api/verdict` stores an answer; one answer covers every claim of the instruction that asks
 *   the same question.
 *
 * All model text goes into the page through `textContent` / text nodes, never as markup.
 * The JS is plain ES2020 kept in `String.raw` strings below, so its backslashes are taken verbatim;
 * it has no backticks, and its only `${...}` is the image size filled in from here.
 */

/** Pixels the image is drawn at (longest side), as a whole multiple of its size so pixels stay square. */
const IMAGE_PX = 192;

const AUDIT_CSS = String.raw`
:root { --ok: #1a7f37; --ok-bg: #d8f5df; --bad: #b42318; --bad-bg: #fde0de; --warn: #9a6700; --warn-bg: #fff4d6;
  --muted: #666; --line: #ddd; --sel: #e8f0fe; --focus: #1f6feb; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1b1b1b; background: #fff;
  display: grid; grid-template-columns: 330px 1fr; grid-template-rows: auto 1fr; grid-template-areas: "top top" "side main"; }
.top { grid-area: top; border-bottom: 2px solid #222; padding: 10px 18px 8px; }
.top h1 { font-size: 20px; margin: 0; display: inline; } .top .dir { color: var(--muted); margin-left: 8px; word-break: break-all; }
.top .stats { margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-variant-numeric: tabular-nums; }
.top .agreement { font-weight: 600; }
.top .file { color: var(--muted); font-size: 12px; margin-top: 2px; word-break: break-all; }
.top .help { color: var(--muted); font-size: 12px; }
.error { margin: 8px 0 0; background: var(--bad-bg); border: 1px solid var(--bad); color: #5c0f09; border-radius: 4px; padding: 6px 10px;
  display: flex; gap: 12px; align-items: flex-start; }
.error[hidden] { display: none; }
.error .msg { flex: 1; white-space: pre-wrap; word-break: break-word; }
aside { grid-area: side; border-right: 1px solid var(--line); overflow-y: auto; padding: 10px 10px 20px; }
aside label { font-weight: 600; margin-right: 6px; }
aside .shown { color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
ul.rows { list-style: none; margin: 0; padding: 0; }
ul.rows li { margin: 0 0 4px; }
button.row { display: block; width: 100%; text-align: left; font: inherit; background: #fff; border: 1px solid var(--line);
  border-left: 5px solid #bbb; border-radius: 4px; padding: 5px 8px; cursor: pointer; color: inherit; }
button.row:hover { background: #f6f6f6; }
button.row[aria-current="true"] { background: var(--sel); border-color: var(--focus); }
button.row.has-disputed { border-left-color: var(--warn); } button.row.judged-ok { border-left-color: var(--ok); }
button.row .rid { font-weight: 600; font-size: 12px; word-break: break-all; }
button.row .rq { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button.row .counts { display: block; color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
button.row .counts .n-disputed { color: var(--warn); font-weight: 600; }
main { grid-area: main; overflow-y: auto; padding: 14px 20px 40px; }
main h2 { font-size: 18px; margin: 0 0 10px; word-break: break-all; }
.muted { color: var(--muted); }
.prompt { display: flex; gap: 18px; align-items: flex-start; margin-bottom: 12px; }
.prompt .question { font-weight: 600; font-size: 16px; margin: 0 0 6px; }
img.pixelated { image-rendering: crisp-edges; image-rendering: pixelated; border: 1px solid #ccc; display: block;
  width: ${IMAGE_PX}px; height: auto; }
.no-image { width: ${IMAGE_PX}px; height: ${IMAGE_PX}px; border: 1px dashed #bbb; color: var(--muted); display: flex; align-items: center;
  justify-content: center; font-size: 12px; padding: 8px; text-align: center; flex: none; }
ul.pairs { margin: 4px 0 0; padding-left: 18px; font-size: 13px; }
.key mark { margin-right: 8px; }
section.candidate { border: 1px solid var(--line); border-radius: 6px; margin: 14px 0; }
section.candidate > header { background: #f1f1f1; padding: 5px 12px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap;
  gap: 4px 14px; align-items: baseline; }
section.candidate h3 { font-size: 15px; margin: 0; }
.badge { font-size: 12px; font-weight: 600; border-radius: 10px; padding: 1px 8px; white-space: nowrap; }
.badge.chosen { background: var(--ok-bg); color: var(--ok); } .badge.rejected { background: var(--bad-bg); color: var(--bad); }
.candidate .text { margin: 10px 12px; font-size: 15px; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.accepted { background: var(--ok-bg); } mark.rejected { background: var(--bad-bg); }
mark.disputed { outline: 2px dashed var(--warn); outline-offset: 1px; }
.table-wrap { overflow-x: auto; padding: 0 12px 10px; }
table.claims { border-collapse: collapse; font-size: 13px; width: 100%; font-variant-numeric: tabular-nums; }
table.claims th, table.claims td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.claims th { border-bottom: 2px solid #444; font-weight: 600; white-space: nowrap; }
table.claims td.num { text-align: right; white-space: nowrap; }
table.claims td.claim { min-width: 180px; } table.claims td.q { color: #333; min-width: 180px; }
tr.claim-row { border-left: 5px solid transparent; }
tr.claim-row.final-accepted td.claim { background: var(--ok-bg); } tr.claim-row.final-rejected td.claim { background: var(--bad-bg); }
tr.claim-row.disputed { background: var(--warn-bg); outline: 2px dashed var(--warn); outline-offset: -2px; }
.v-yes { color: var(--ok); font-weight: 600; white-space: nowrap; } .v-no { color: var(--bad); font-weight: 600; white-space: nowrap; }
.answer { white-space: nowrap; }
.answer button { font: inherit; font-size: 13px; min-width: 40px; padding: 2px 8px; border: 1px solid #999; border-radius: 4px;
  background: #fff; cursor: pointer; color: inherit; }
.answer button[data-answer="yes"][aria-pressed="true"] { background: var(--ok); border-color: var(--ok); color: #fff; font-weight: 700; }
.answer button[data-answer="no"][aria-pressed="true"] { background: var(--bad); border-color: var(--bad); color: #fff; font-weight: 700; }
.answer button.link { border: none; background: none; min-width: 0; color: var(--focus); text-decoration: underline; padding: 2px 4px; }
.answer button.link:disabled { color: #aaa; text-decoration: none; cursor: default; }
.flag { font-weight: 700; color: var(--warn); white-space: nowrap; } .agrees { color: var(--muted); white-space: nowrap; }
button:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
@media (max-width: 800px) { body { grid-template-columns: 1fr; grid-template-rows: auto auto 1fr; grid-template-areas: "top" "side" "main"; }
  aside { max-height: 30vh; border-right: none; border-bottom: 1px solid var(--line); } .prompt { flex-direction: column; } }
`;

/**
 * Pure helpers, shared by the page and the tests (which run them in a `vm` context): no DOM here.
 * Exported so `page.test.ts` can check the highlighting without a browser.
 */
export const AUDIT_HELPERS_JS = String.raw`
/** The verdict in force: the person's answer where there is one, else the labeler's. */
function finalAccepted(c) {
  return c.human === 'yes' || c.human === 'no' ? c.human === 'yes' : !!c.labelerAccepted;
}

/** The labeler disagrees with the person, or (no answer from the person) with the exact truth. */
function isDisputed(c) {
  if (c.human === 'yes' || c.human === 'no') return !!c.labelerAccepted !== (c.human === 'yes');
  return typeof c.truth === 'boolean' && !!c.labelerAccepted !== c.truth;
}

/** Question text as the server keys it. */
function sameQuestion(a, b) {
  return String(a).trim() === String(b).trim();
}

/**
 * Where each claim sits in the answer text: the first occurrence not already taken by an earlier
 * claim, exact first, then case-insensitive. Claims the divide step rewrote are not found and get
 * no span. Returns [{ start, end, claim }] sorted by start, never overlapping.
 */
function findClaimSpans(text, claims) {
  text = String(text);
  const spans = [];
  const free = function (s, e) { return spans.every(function (sp) { return e <= sp.start || s >= sp.end; }); };
  const lower = text.toLowerCase();
  // Lower-casing can change the length of some characters; then positions would not line up.
  const hays = lower.length === text.length ? [[text, false], [lower, true]] : [[text, false]];
  for (const claim of claims) {
    const needle = String(claim.claim == null ? '' : claim.claim).trim();
    if (!needle) continue;
    for (const pair of hays) {
      const hay = pair[0];
      const n = pair[1] ? needle.toLowerCase() : needle;
      if (n.length !== needle.length) continue;
      let at = hay.indexOf(n);
      while (at >= 0 && !free(at, at + n.length)) at = hay.indexOf(n, at + 1);
      if (at >= 0) { spans.push({ start: at, end: at + n.length, claim: claim }); break; }
    }
  }
  return spans.sort(function (a, b) { return a.start - b.start; });
}

/** 0.9667 -> '96.7%'; 1 -> '100%'; null -> '–'. */
function pct(rate) {
  if (typeof rate !== 'number' || !isFinite(rate)) return '–';
  return String(Number((100 * rate).toFixed(1))) + '%';
}

/** A probability with 3 decimals, '–' when missing. */
function prob(x) {
  return typeof x === 'number' && isFinite(x) ? x.toFixed(3) : '–';
}

function plural(n, word) {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

/** The header line: 'labeler agrees with you on 29 of 30 answered questions (96.7%)'. */
function agreementText(a) {
  if (!a || !a.judged) return 'labeler agrees with you on 0 of 0 answered questions (no answers yet)';
  return 'labeler agrees with you on ' + a.agree + ' of ' + a.judged + ' answered question' + (a.judged === 1 ? '' : 's') +
    ' (' + pct(a.rate) + ')';
}

/** Which sidebar rows a filter keeps. */
function rowMatches(row, filter) {
  if (filter === 'pairs') return row.pairs > 0;
  if (filter === 'disputed') return row.disputed > 0;
  if (filter === 'unjudged') return row.judged === 0;
  return true;
}
`;

const AUDIT_APP_JS = String.raw`
(function () {
  'use strict';

  const state = {
    run: null,          // AuditRunInfo
    rows: [],           // AuditInstructionRow[]
    filter: 'all',
    currentId: null,    // id of the instruction shown (or being loaded)
    current: null,      // AuditInstruction shown
    openToken: 0,       // drops answers to superseded GETs
    saving: Promise.resolve(), // verdicts are posted one after another, in click order
  };

  /** Element builder: attributes via setAttribute, children as text nodes (never parsed as HTML). */
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const key of Object.keys(attrs)) {
        const v = attrs[key];
        if (v === null || v === undefined || v === false) continue;
        if (key === 'class') el.className = v;
        else if (key.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(key.slice(2), v);
        else el.setAttribute(key, v === true ? '' : String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function byId(id) { return document.getElementById(id); }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  // ---- talking to the server ----

  async function api(path, init) {
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new Error('the audit server cannot be reached (' + (e && e.message ? e.message : e) + '); is it still running?');
    }
    const body = await res.text();
    let json = null;
    try { json = body ? JSON.parse(body) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const msg = json && json.error && typeof json.error.message === 'string' ? json.error.message
        : (body ? body.slice(0, 300) : res.statusText);
      throw new Error(msg + ' (HTTP ' + res.status + ')');
    }
    if (json === null) throw new Error('the server answered ' + path + ' with something that is not JSON');
    return json;
  }

  function showError(what, err) {
    const banner = byId('error');
    byId('error-message').textContent = what + ': ' + (err && err.message ? err.message : String(err));
    banner.hidden = false;
  }
  function hideError() { byId('error').hidden = true; }

  // ---- header ----

  function renderHeader() {
    const run = state.run;
    if (!run) return;
    byId('run-dir').textContent = run.dir;
    byId('run-counts').textContent = plural(run.instructions, 'instruction') + ' · ' + plural(run.candidates, 'candidate') + ' · ' +
      plural(run.claims, 'claim') + ' · ' + plural(run.pairs, 'pair') + (run.fromWorld ? ' · world run (exact truth known)' : '');
    const a = run.agreement;
    byId('agreement').textContent = agreementText(a);
    byId('false-accepts').textContent = 'false accepts: ' + (a ? a.falseAccepts : 0);
    byId('false-accepts').title = 'the labeler said yes where you said no: a hallucination let through';
    byId('false-rejects').textContent = 'false rejects: ' + (a ? a.falseRejects : 0);
    byId('false-rejects').title = 'the labeler said no where you said yes: a true claim held against the answer';
    const ht = byId('human-truth');
    if (run.fromWorld && a && a.humanMatchesTruth) {
      const m = a.humanMatchesTruth;
      ht.textContent = 'your answers match the exact truth on ' + m.agree + ' of ' + m.checked +
        (m.checked ? ' (' + pct(m.agree / m.checked) + ')' : '');
      ht.hidden = false;
    } else {
      ht.hidden = true;
    }
    byId('audit-file').textContent = 'your answers are saved to ' + run.auditFile;
  }

  // ---- sidebar ----

  async function loadRows() {
    state.rows = await api('/api/instructions');
    renderSidebar();
  }

  function visibleRows() {
    return state.rows.filter(function (r) { return rowMatches(r, state.filter); });
  }

  function renderSidebar() {
    const list = byId('rows');
    clear(list);
    const rows = visibleRows();
    byId('shown').textContent = 'showing ' + rows.length + ' of ' + plural(state.rows.length, 'instruction');
    for (const r of rows) {
      const cls = 'row' + (r.disputed > 0 ? ' has-disputed' : '') + (r.judged > 0 && r.disputed === 0 ? ' judged-ok' : '');
      const counts = h('span', { class: 'counts' },
        plural(r.candidates, 'candidate') + ' · ' + plural(r.claims, 'claim') + ' · ' + r.rejected + ' rejected · ' +
        plural(r.pairs, 'pair') + ' · ' + r.judged + ' judged',
        r.disputed > 0 ? [' · ', h('span', { class: 'n-disputed' }, r.disputed + ' disputed')] : null);
      const btn = h('button', {
        type: 'button', class: cls, 'data-testid': 'instruction-row', 'data-id': r.id,
        'data-judged': r.judged, 'data-disputed': r.disputed, 'data-pairs': r.pairs, 'data-rejected': r.rejected,
        'aria-current': r.id === state.currentId ? 'true' : null,
        onclick: function () { openInstruction(r.id); },
      }, h('span', { class: 'rid' }, r.id), h('span', { class: 'rq', title: r.question }, r.question), counts);
      list.appendChild(h('li', null, btn));
    }
    if (rows.length === 0) list.appendChild(h('li', { class: 'muted' }, 'no instruction matches this filter'));
  }

  function markCurrentRow() {
    for (const b of document.querySelectorAll('[data-testid=instruction-row]')) {
      if (b.getAttribute('data-id') === state.currentId) {
        b.setAttribute('aria-current', 'true');
        b.scrollIntoView({ block: 'nearest' });
      } else {
        b.removeAttribute('aria-current');
      }
    }
  }

  /** j / k: the next / previous instruction among those the filter shows. */
  function step(delta) {
    const rows = visibleRows();
    if (rows.length === 0) return;
    const at = rows.findIndex(function (r) { return r.id === state.currentId; });
    const next = at < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, at + delta));
    if (rows[next].id !== state.currentId) openInstruction(rows[next].id);
  }

  // ---- main panel ----

  function idFromHash() {
    if (location.hash.length < 2) return null;
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return null; }
  }

  async function openInstruction(id) {
    const token = ++state.openToken;
    state.currentId = id;
    markCurrentRow();
    if (idFromHash() !== id) history.replaceState(null, '', '#' + encodeURIComponent(id));
    const main = byId('main');
    main.setAttribute('aria-busy', 'true');
    let inst;
    try {
      inst = await api('/api/instructions/' + encodeURIComponent(id));
    } catch (e) {
      if (token !== state.openToken) return;
      main.removeAttribute('aria-busy');
      showError('Could not load instruction ' + id, e);
      return;
    }
    if (token !== state.openToken) return;
    state.current = inst;
    renderInstruction();
    main.removeAttribute('aria-busy');
    main.scrollTop = 0;
  }

  function showTruth(inst) {
    if (state.run && state.run.fromWorld) return true;
    return inst.candidates.some(function (c) { return c.claims.some(function (k) { return k.truth !== undefined; }); });
  }

  function imageBlock(inst) {
    if (!inst.image) {
      return h('div', { class: 'no-image', 'data-testid': 'image-error', role: 'img', 'aria-label': 'no image' },
        inst.imageError || 'the image cannot be loaded');
    }
    const img = h('img', { class: 'pixelated', 'data-testid': 'image', src: inst.image, alt: 'the instruction\'s image' });
    img.addEventListener('load', function () {
      const w = img.naturalWidth, ht = img.naturalHeight;
      if (!w || !ht) return;
      const k = Math.max(1, Math.floor(${IMAGE_PX} / Math.max(w, ht)));
      img.style.width = (w * k) + 'px';
      img.style.height = (ht * k) + 'px';
      img.alt = 'the instruction\'s image (' + w + '×' + ht + ', shown ' + k + '×)';
    });
    img.addEventListener('error', function () {
      img.replaceWith(h('div', { class: 'no-image', 'data-testid': 'image-error' }, 'the image did not load from ' + inst.image));
    });
    return img;
  }

  function candidateLabel(inst, id) {
    const c = inst.candidates.find(function (x) { return x.id === id; });
    return c ? 'candidate #' + c.index : id;
  }

  function renderInstruction() {
    const inst = state.current;
    const main = byId('main');
    clear(main);
    const pairs = inst.pairs.length
      ? h('div', { 'data-testid': 'pairs' }, h('strong', null, plural(inst.pairs.length, 'kept pair')),
        h('ul', { class: 'pairs' }, inst.pairs.map(function (p) {
          return h('li', null, 'chosen ' + candidateLabel(inst, p.chosen) + ' (score ' + p.scoreChosen + ') over ' +
            candidateLabel(inst, p.rejected) + ' (score ' + p.scoreRejected + ')');
        })))
      : h('p', { class: 'muted', 'data-testid': 'pairs' }, 'no kept pair comes from this instruction');
    const key = h('p', { class: 'key muted' },
      h('mark', { class: 'accepted' }, 'accepted'), h('mark', { class: 'rejected' }, 'rejected'),
      h('mark', { class: 'accepted disputed' }, 'dashed: disputed'),
      ' Highlights show your answer where you gave one, else the labeler\'s. Keys: j / k next / previous instruction.');
    main.appendChild(h('article', { 'data-testid': 'instruction', 'data-id': inst.id },
      h('h2', null, 'Instruction ', inst.id),
      h('div', { class: 'prompt' }, imageBlock(inst),
        h('div', null, h('p', { class: 'question', 'data-testid': 'question' }, inst.question), pairs)),
      key,
      inst.candidates.length ? inst.candidates.map(function (c) { return renderCandidate(c, showTruth(inst)); })
        : h('p', { class: 'muted' }, 'this instruction has no candidates')));
  }

  function verdictTitle(k) {
    const parts = [
      (finalAccepted(k) ? 'accepted' : 'rejected') + (k.human ? ' by you' : ' by the labeler'),
      'labeler P(yes) ' + prob(k.yes) + ' / P(no) ' + prob(k.no),
    ];
    if (typeof k.truth === 'boolean') parts.push('truth: ' + k.truth);
    if (isDisputed(k)) parts.push('disputed');
    return parts.join('; ') + '\nQ: ' + k.question;
  }

  /** The answer text as nodes, each claim found in it wrapped in a mark of its final verdict. */
  function highlighted(c) {
    const out = [];
    let pos = 0;
    for (const sp of findClaimSpans(c.text, c.claims)) {
      const k = sp.claim;
      if (sp.start > pos) out.push(c.text.slice(pos, sp.start));
      out.push(h('mark', {
        class: (finalAccepted(k) ? 'accepted' : 'rejected') + (isDisputed(k) ? ' disputed' : ''),
        'data-index': k.index, 'data-candidate': c.id, title: verdictTitle(k),
      }, c.text.slice(sp.start, sp.end)));
      pos = sp.end;
    }
    if (pos < c.text.length) out.push(c.text.slice(pos));
    return out;
  }

  function renderCandidate(c, withTruth) {
    const rejected = c.claims.filter(function (k) { return !finalAccepted(k); }).length;
    const badges = [];
    if (c.chosenIn > 0) badges.push(h('span', { class: 'badge chosen', 'data-testid': 'badge-chosen' }, 'chosen in ' + plural(c.chosenIn, 'pair')));
    if (c.rejectedIn > 0) badges.push(h('span', { class: 'badge rejected', 'data-testid': 'badge-rejected' }, 'rejected in ' + plural(c.rejectedIn, 'pair')));
    const head = h('header', null,
      h('h3', null, 'Candidate #' + c.index), h('span', { class: 'muted' }, c.id),
      h('span', { 'data-testid': 'score', title: 'minus the claims the labeler rejected, as the run scored it' },
        c.score === null || c.score === undefined ? 'not scored' : 'score ' + c.score),
      h('span', { class: 'muted' }, rejected + ' of ' + plural(c.claims.length, 'claim') + ' rejected'),
      badges.length ? badges : h('span', { class: 'muted' }, 'in no kept pair'));
    const table = c.claims.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'claims' },
      h('thead', null, h('tr', null,
        h('th', null, '#'), h('th', null, 'claim'), h('th', null, 'question'),
        h('th', { title: 'the labeler\'s P(yes)+P(Yes); P(no) in the tooltip' }, 'labeler P(yes)'),
        h('th', null, 'labeler'), withTruth ? h('th', { title: 'the scene\'s exact truth' }, 'truth') : null,
        h('th', null, 'your answer'), h('th', null, 'status'))),
      h('tbody', null, c.claims.map(function (k) { return claimRow(c, k, withTruth); }))))
      : h('p', { class: 'muted', style: 'margin: 0 12px 10px' }, 'no claims were extracted from this answer');
    return h('section', { class: 'candidate', 'data-testid': 'candidate', 'data-candidate': c.id },
      head, h('p', { class: 'text', 'data-testid': 'candidate-text' }, highlighted(c)), table);
  }

  function claimRow(c, k, withTruth) {
    const disputed = isDisputed(k);
    const fin = finalAccepted(k);
    function answerButton(answer) {
      return h('button', {
        type: 'button', 'data-answer': answer, 'aria-pressed': k.human === answer ? 'true' : 'false',
        title: 'answer "' + answer + '" to: ' + k.question,
        onclick: function () { setVerdict(k.question, answer, { candidate: c.id, index: k.index, answer: answer }); },
      }, answer);
    }
    let truth = null;
    if (withTruth) {
      truth = typeof k.truth === 'boolean' ? h('td', { class: k.truth ? 'v-yes' : 'v-no' }, k.truth ? 'true' : 'false')
        : h('td', { class: 'muted', title: k.truth === null ? 'the claim could not be parsed against the scene' : 'no truth recorded' },
          k.truth === null ? 'unparsed' : '–');
    }
    let status;
    if (disputed) {
      status = h('span', { class: 'flag', 'data-testid': 'disputed-flag',
        title: k.human ? 'the labeler disagrees with your answer' : 'the labeler disagrees with the exact truth' }, '⚠ disputed');
    } else if (k.human) {
      status = h('span', { class: 'agrees' }, 'labeler agrees');
    } else {
      status = '';
    }
    return h('tr', {
      class: 'claim-row ' + (fin ? 'final-accepted' : 'final-rejected') + (disputed ? ' disputed' : ''),
      'data-testid': 'claim-row', 'data-candidate': c.id, 'data-index': k.index, 'data-question': k.question,
      'data-human': k.human || null, 'data-disputed': disputed ? 'true' : 'false',
    },
    h('td', { class: 'num' }, k.index),
    h('td', { class: 'claim' }, k.claim),
    h('td', { class: 'q' }, k.question),
    h('td', { class: 'num', title: 'P(no) ' + prob(k.no) }, prob(k.yes)),
    h('td', { class: k.labelerAccepted ? 'v-yes' : 'v-no', title: 'P(yes) ' + prob(k.yes) + ' vs P(no) ' + prob(k.no) },
      k.labelerAccepted ? 'accepted' : 'rejected'),
    truth,
    h('td', { class: 'answer' }, h('span', { role: 'group', 'aria-label': 'your answer to: ' + k.question },
      answerButton('yes'), ' ', answerButton('no'), ' ',
      h('button', {
        type: 'button', class: 'link', 'data-answer': 'clear', disabled: !k.human,
        title: 'clear your answer to: ' + k.question,
        onclick: function () { setVerdict(k.question, null, { candidate: c.id, index: k.index, answer: 'yes' }); },
      }, 'clear'))),
    h('td', null, status));
  }

  /** Post one answer; when stored, apply it to every claim of the instruction asking the same question. */
  function setVerdict(question, answer, focus) {
    const inst = state.current;
    if (!inst) return;
    state.saving = state.saving.then(async function () {
      let res;
      try {
        res = await api('/api/verdict', {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ instructionId: inst.id, question: question, answer: answer }),
        });
      } catch (e) {
        showError('Could not save your answer', e);
        return;
      }
      for (const c of inst.candidates) {
        for (const k of c.claims) {
          if (!sameQuestion(k.question, question)) continue;
          if (answer === null) delete k.human; else k.human = answer;
        }
      }
      if (state.current === inst) rerenderCandidates(inst, focus);
      if (res && res.agreement && state.run) { state.run.agreement = res.agreement; renderHeader(); }
      try { await loadRows(); } catch (e) { showError('Could not refresh the instruction list', e); }
    });
  }

  function rerenderCandidates(inst, focus) {
    const withTruth = showTruth(inst);
    for (const c of inst.candidates) {
      const old = document.querySelector('section.candidate[data-candidate="' + CSS.escape(c.id) + '"]');
      if (old) old.replaceWith(renderCandidate(c, withTruth));
    }
    if (focus) {
      const row = document.querySelector('[data-testid=claim-row][data-candidate="' + CSS.escape(focus.candidate) +
        '"][data-index="' + CSS.escape(String(focus.index)) + '"]');
      const btn = row && row.querySelector('[data-answer="' + focus.answer + '"]');
      if (btn) btn.focus();
    }
  }

  // ---- start ----

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    if (e.key === 'j') { e.preventDefault(); step(1); }
    else if (e.key === 'k') { e.preventDefault(); step(-1); }
  });
  byId('error-dismiss').addEventListener('click', hideError);
  byId('filter').addEventListener('change', function (e) { state.filter = e.target.value; renderSidebar(); });
  window.addEventListener('hashchange', function () {
    const id = idFromHash();
    if (id && id !== state.currentId) openInstruction(id);
  });

  async function boot() {
    try {
      state.run = await api('/api/run');
      renderHeader();
    } catch (e) {
      showError('Could not load the run', e);
    }
    try {
      await loadRows();
    } catch (e) {
      showError('Could not load the instructions', e);
      return;
    }
    const wanted = idFromHash();
    const start = wanted && state.rows.some(function (r) { return r.id === wanted; }) ? wanted
      : (state.rows[0] ? state.rows[0].id : null);
    if (start) await openInstruction(start);
    else { clear(byId('main')); byId('main').appendChild(h('p', { class: 'muted' }, 'This run has no instructions.')); }
  }
  boot();
})();
`;

const BODY = `
<header class="top">
  <div><h1>RLAIF-V audit</h1><span class="dir" id="run-dir" data-testid="run-dir"></span></div>
  <div class="stats">
    <span id="run-counts" data-testid="run-counts">loading…</span>
    <span id="agreement" class="agreement" data-testid="agreement" aria-live="polite"></span>
    <span id="false-accepts" data-testid="false-accepts"></span>
    <span id="false-rejects" data-testid="false-rejects"></span>
    <span id="human-truth" data-testid="human-truth" hidden></span>
  </div>
  <div class="file" id="audit-file" data-testid="audit-file"></div>
  <div id="error" class="error" data-testid="error-banner" role="alert" hidden>
    <span id="error-message" class="msg" data-testid="error-message"></span>
    <button type="button" id="error-dismiss">dismiss</button>
  </div>
</header>
<aside aria-label="instructions">
  <label for="filter">show</label>
  <select id="filter" data-testid="filter">
    <option value="all">all</option>
    <option value="pairs">with pairs</option>
    <option value="disputed">disputed</option>
    <option value="unjudged">not yet judged</option>
  </select>
  <div class="shown" id="shown" data-testid="shown" aria-live="polite"></div>
  <ul class="rows" id="rows" data-testid="instruction-list"></ul>
</aside>
<main id="main" data-testid="main"><p class="muted">loading…</p></main>
`;

/** The whole audit page; the server sends it as `text/html` at `/`. */
export function auditPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RLAIF-V audit</title>
<link rel="icon" href="data:,">
<style>${AUDIT_CSS}</style>
</head>
<body>${BODY}<script>
${AUDIT_HELPERS_JS}
${AUDIT_APP_JS}
</script>
</body>
</html>
`;
}
