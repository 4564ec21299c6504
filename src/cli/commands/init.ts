import type { Command } from 'commander';
import { assertSafeServerUrl } from '../../source/mcp/mcp-connection.ts';
import { initWorkspace } from '../../workspace/workspace.ts';
import { globalOptions, outputFor } from '../global-options.ts';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'create ferry.yaml and .ferry/ in the workspace for a BackDocket export folder or MCP server URL',
    )
    .requiredOption(
      '--source <dir|url>',
      'the BackDocket export folder (CSV/XLSX files and files/), or its MCP server (https://…/mcp)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ferry init --source ./backdocket-export\n  ferry init --source https://ai.backdocket.com/mcp   # then BACKDOCKET_TOKEN=… or ferry source login',
    )
    .action((options: { source: string }, command: Command) => {
      const out = outputFor(command);
      const workspace = initWorkspace({
        dir: globalOptions(command).workspace,
        source: options.source,
        checkUrl: (url) => assertSafeServerUrl(url),
      });
      out.result({
        workspace: workspace.dir,
        config: workspace.configPath,
        source: workspace.sourceUrl ?? workspace.sourceDir,
      });
      out.line(`Workspace ready in ${workspace.dir}`);
      out.line(`  settings: ${workspace.configPath}`);
      if (workspace.sourceUrl) {
        out.line(`  source:   ${workspace.sourceUrl} (BackDocket MCP server)`);
        out.line(
          'Next: set BACKDOCKET_TOKEN or run `ferry source login`, then `ferry source inspect` and `ferry extract`',
        );
      } else {
        out.line(`  export:   ${workspace.sourceDir}`);
        out.line('Next: ferry extract');
      }
    });
}
