/**
 * `rlaifv audit`: a web page where people check a generate run's AI feedback claim by claim, rate,
 * comment on and correct its answers; `invite`, `users` and `export` manage the people and their
 * feedback (RUN/feedback.sqlite).
 */
import type { Command } from 'commander';
import { intFlag } from '../options.ts';

interface AuditFlags { run: string; host: string; port: number; publicUrl?: string; summary?: boolean }

export function register(program: Command): void {
  const audit = program.command('audit')
    .description("check a generate run's AI feedback in a web page, alone or with invited people; feedback goes to RUN/feedback.sqlite, and rerunning generate on RUN trains on it")
    .requiredOption('--run <dir>', 'a finished `rlaifv generate` output folder (or an align round\'s ROUND/data)')
    .option('--host <host>', 'interface to bind; beyond loopback every request needs a session from an invite link', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 = any free port)', intFlag('--port'), 8090)
    .option('--public-url <url>', 'the https address people open, on a TLS proxy in front (its host and origin are accepted, cookies are Secure)')
    .option('--summary', 'print the run\'s counts, agreement and progress as JSON and exit, without serving')
    .action(async (o: AuditFlags) => {
      if (o.summary) {
        const { auditSummary } = await import('../../audit/summary.ts');
        process.stdout.write(`${JSON.stringify(await auditSummary(o.run), null, 2)}\n`);
        return;
      }
      const { startAuditServer } = await import('../../audit/server.ts');
      const server = await startAuditServer({ dir: o.run, host: o.host, port: o.port, ...(o.publicUrl !== undefined && { publicUrl: o.publicUrl }) });
      const info = server.run.info();
      const mode = server.mode();
      process.stderr.write(
        `auditing ${info.instructions} instructions, ${info.candidates} candidates, ${info.claims} claims of ${o.run}\n`
        + `open ${o.publicUrl ?? server.url}/ (${mode === 'local' ? 'local use, no sign-in' : 'a campaign: people sign in with their invite links'}; feedback is saved to ${server.store.path} as it is given; Ctrl-C to stop)\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => { void server.close().then(done); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      const { auditSummary } = await import('../../audit/summary.ts');
      const a = (await auditSummary(o.run)).agreement;
      if (a.judged > 0) {
        process.stderr.write(`the labeler agreed with the people's majority on ${a.agree} of ${a.judged} questions; rerun \`rlaifv generate\` with the same arguments and --out ${o.run} to train on their feedback\n`);
      }
    });

  audit.command('invite')
    .description('print a one-time invite link for a new person (the link signs them in; only its hash is kept)')
    .requiredOption('--name <name>', 'the person\'s name as others see it')
    .option('--role <role>', 'annotator or admin (admins set the guidelines, invite and revoke, see the agreement)', 'annotator')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as AuditFlags & { name: string; role: string };
      const { inviteLink, checkPublicUrl } = await import('../../audit/server.ts');
      const { openRunStore } = await import('../../audit/summary.ts');
      const base = o.publicUrl !== undefined ? checkPublicUrl(o.publicUrl) : `http://127.0.0.1:${o.port}`;
      const store = await openRunStore(o.run);
      try {
        const { person, token } = store.invite(o.name, o.role as 'annotator');
        process.stdout.write(`${inviteLink(base, token)}\n`);
        process.stderr.write(`invited ${person.name} (${person.id}, ${person.role}); the link works once: send it to them alone, by a channel that does not preview links\n`);
      } finally {
        store.close();
      }
    });

  audit.command('users')
    .description('list the people of a run\'s feedback site, or revoke one (their sessions and open invites stop working; their feedback stays)')
    .option('--revoke <id>', 'revoke the person with this id (see the list)')
    .option('--json', 'print the people as JSON')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as AuditFlags & { revoke?: string; json?: boolean };
      const { openRunStore, peopleTable } = await import('../../audit/summary.ts');
      const store = await openRunStore(o.run);
      try {
        if (o.revoke !== undefined) {
          const p = store.revoke(o.revoke);
          process.stderr.write(`revoked ${p.name} (${p.id})\n`);
        }
        const people = store.people();
        process.stdout.write(o.json ? `${JSON.stringify(people, null, 2)}\n` : peopleTable(people));
      } finally {
        store.close();
      }
    });

  audit.command('export')
    .description('write all human feedback on the run as JSONL (one line per event: who, what, when) for other tools')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as AuditFlags & { out: string };
      const { openRunStore } = await import('../../audit/summary.ts');
      const { exportFeedback } = await import('../../feedback/export.ts');
      const store = await openRunStore(o.run);
      try {
        const { lines } = exportFeedback(store, o.out);
        process.stderr.write(`wrote ${lines} feedback events to ${o.out}\n`);
      } finally {
        store.close();
      }
    });
}
