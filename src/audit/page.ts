/**
 * The feedback site's page: one self-contained HTML document (inline CSS and JS, no external
 * resources, no build step) where people check the AI labeler's verdicts claim by claim, rate,
 * comment on and correct the model's answers, judge the kept pairs and flag instructions, and
 * where an admin runs the campaign. Its sources are real files in ./page/: the document
 * (index.html), its style (style.css) and its script (main.ts and the modules it imports; the
 * pure helpers in helpers.ts, feedback-helpers.ts and keys.ts). The page talks only to the server
 * on its own origin (the routes in docs/audit.md, shapes in ./types.ts and ./page/wire.ts):
 *
 * - `GET /api/me` says who is at the page (name, role, CSRF token) and the campaign's guidelines.
 * - `GET /api/run`, `/api/queue`, `/api/instructions` fill the header (counts, progress, the
 *   labeler's agreement with the person) and the sidebar (all / my queue / with pairs / disputed /
 *   not yet judged).
 * - `GET /api/instructions/:id` fills the main panel: the image scaled up, the question, the kept
 *   pairs, and each candidate with its claims highlighted, with the person's own feedback (`mine`).
 * - `POST /api/feedback` records one FeedbackEvent (verdict, rating, comment, correction, pair,
 *   flag, done, settings), with the CSRF token.
 * - Admins: `GET /api/admin/summary`, `POST /api/admin/invite`, `POST /api/admin/revoke`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The page's sources, found beside this module whether run from the repository or an installed package. */
const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

/** Where index.html takes the style and the script: comments, so the template stays valid HTML as it is. */
const SLOTS = { style: '/* style.css */', script: '/* main.ts */' } as const;

/**
 * The whole audit page; the server builds it once when it starts and sends it as `text/html` at `/`.
 * Throws, naming the file, when a source is missing or the script does not compile.
 */
export function auditPageHtml(): string {
  const template = readFileSync(PAGE_DIR + 'index.html', 'utf8');
  const style = readFileSync(PAGE_DIR + 'style.css', 'utf8');
  return fill(fill(template, SLOTS.style, style), SLOTS.script, pageScript());
}

/**
 * The Content-Security-Policy the page is sent with: nothing but its own inline script and style
 * (by hash, so no other inline code runs, injected or not), images and API calls from its own
 * server, no plugins, no forms, no base URL, and no framing.
 * `pageSecurityPolicy(auditPageHtml())` -> `default-src 'none'; script-src 'sha256-...'; ...`.
 */
export function pageSecurityPolicy(html: string): string {
  const hashes = (tag: string) => {
    const found = [...html.matchAll(new RegExp(`<${tag}>([^]*?)</${tag}>`, 'gi'))]
      .map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
    return found.length > 0 ? found.join(' ') : "'none'";
  };
  return [
    "default-src 'none'",
    `script-src ${hashes('script')}`,
    `style-src ${hashes('style')}`,
    // The images come from /image/<id>; the tab icon is the empty data: URL index.html names, so
    // that the browser does not ask for /favicon.ico.
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * main.ts and what it imports as one classic script: esbuild (installed with tsx, which runs rlaifv)
 * strips the types and bundles the modules into an IIFE, unminified so the page stays readable.
 */
function pageScript(): string {
  const out = buildSync({
    entryPoints: [PAGE_DIR + 'main.ts'],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    // Paths in the bundle's comments are then `main.ts`, whatever the working directory.
    absWorkingDir: PAGE_DIR,
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text;
  // Inline, `</script` would end the script early and `<!--` can change how it is parsed.
  const bad = /<\/script|<!--/i.exec(js);
  if (bad) throw new Error(`${PAGE_DIR}main.ts: the bundled page script holds '${bad[0]}', which cannot stand in an inline <script>; build that text from parts`);
  return js;
}

function fill(template: string, slot: string, content: string): string {
  const at = template.indexOf(slot);
  if (at < 0 || template.indexOf(slot, at + 1) >= 0) throw new Error(`${PAGE_DIR}index.html must hold '${slot}' exactly once, where the page's ${slot.slice(3, -3)} goes`);
  return template.slice(0, at) + content + template.slice(at + slot.length);
}
