import type { Command } from 'commander';
import { initWorkspace } from '../../workspace/workspace.ts';
import { globalOptions, outputFor } from '../global-options.ts';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create ferry.yaml and .ferry/ in the workspace for a BackDocket export folder')
    .requiredOption('--source <dir>', 'the BackDocket export folder (CSV/XLSX files and files/)')
    .addHelpText('after', '\nExample:\n  ferry init --source ./backdocket-export')
    .action((options: { source: string }, command: Command) => {
      const out = outputFor(command);
      const workspace = initWorkspace({ dir: globalOptions(command).workspace, source: options.source });
      out.result({ workspace: workspace.dir, config: workspace.configPath, source: workspace.sourceDir });
      out.line(`Workspace ready in ${workspace.dir}`);
      out.line(`  settings: ${workspace.configPath}`);
      out.line(`  export:   ${workspace.sourceDir}`);
      out.line('Next: ferry extract');
    });
}
