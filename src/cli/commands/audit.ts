/** `rlaifv audit`: a web page where a person checks a generate run's AI feedback claim by claim. */
import type { Command } from 'commander';
import { intFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('audit')
    .description("check a generate run's AI feedback claim by claim in a web page; your answers go to RUN/audit.jsonl, and rerunning generate on RUN scores with them")
    .requiredOption('--run <dir>', 'a finished `rlaifv generate` output folder (or an align round\'s ROUND/data)')
    .option('--host <host>', 'interface to bind (the page writes to the run folder: keep it local unless you mean to share it)', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 = any free port)', intFlag('--port'), 8090)
    .option('--summary', 'print the run\'s agreement with your answers so far as JSON and exit, without serving')
    .action(async (o) => {
      if (o.summary) {
        const { AuditRun } = await import('../../audit/data.ts');
        const run = await AuditRun.open(o.run);
        process.stdout.write(`${JSON.stringify(run.info(), null, 2)}\n`);
        return;
      }
      const { startAuditServer } = await import('../../audit/server.ts');
      const server = await startAuditServer({ dir: o.run, host: o.host, port: o.port });
      const info = server.run.info();
      process.stderr.write(
        `auditing ${info.instructions} instructions, ${info.candidates} candidates, ${info.claims} claims of ${o.run}\n`
        + `open ${server.url}/ (answers are saved to ${info.auditFile} as you give them; Ctrl-C to stop)\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => { void server.close().then(done); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      const a = server.run.agreement();
      if (a.judged > 0) {
        process.stderr.write(`the labeler agreed with you on ${a.agree} of ${a.judged} questions; rerun \`rlaifv generate\` with the same arguments and --out ${o.run} to score with your answers\n`);
      }
    });
}
