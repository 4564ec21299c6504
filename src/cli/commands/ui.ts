import type { Command } from 'commander';
import { startUiServer } from '../../web/index.ts';
import { globalOptions, outputFor } from '../global-options.ts';

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description(
      'a local web app to review and confirm the map and run the job (127.0.0.1 only, token in the URL)',
    )
    .option('--port <n>', 'port to listen on (default: any free port)', '0')
    .addHelpText('after', '\nExample:\n  ferry ui\n  ferry ui --port 8765')
    .action(async (options: { port: string }, command: Command) => {
      const out = outputFor(command);
      const server = await startUiServer({
        workspaceDir: globalOptions(command).workspace,
        port: Number(options.port) || 0,
        host: '127.0.0.1',
      });
      // The address carries this launch's own access token, made for the person at this machine to open. The
      // output redactor hides every `token=` value (Pipedrive tokens travel that way too), which would leave
      // an address that only answers 403, so it is written as is; it never holds the Pipedrive token.
      if (out.json)
        process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port }, null, 2)}\n`);
      else process.stdout.write(`Ferry UI: ${server.url}\n`);
      out.line('Open that address in your browser (it carries this session’s access token). Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
