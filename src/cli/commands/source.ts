import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import {
  CredentialStore,
  loginToServer,
  openMcpSource,
  politeFetch,
  renderSourceConfigTemplate,
} from '../../source/mcp/index.ts';
import type { ReadPlan } from '../../source/mcp/model.ts';
import { loadWorkspace, type Workspace } from '../../workspace/workspace.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import type { Output } from '../output.ts';

/** `ferry source inspect | login | logout`: an MCP source's tools and read plan, and its sign-in. */
export function registerSource(program: Command): void {
  const source = program
    .command('source')
    .description('a BackDocket MCP source: its tools and the read plan, and signing in to it');

  source
    .command('inspect')
    .description(
      "list the server's tools and the read plan (which tool feeds which table), before anything is read",
    )
    .option(
      '--write-template',
      'write a commented source.yaml with the plan, to correct it (not over an existing one)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  ferry source inspect\n  ferry source inspect --json\n  ferry source inspect --write-template   # then edit source.yaml',
    )
    .action(async (options: { writeTemplate?: boolean }, command: Command) => {
      const out = outputFor(command);
      const workspace = mcpWorkspace(command);
      const opened = await openMcpSource({ workspace, tolerateProblems: true });
      try {
        const { connection, plan, problems } = opened;
        let template: string | undefined;
        if (options.writeTemplate) template = writeTemplate(workspace, plan);
        out.result({
          server: connection.server,
          transport: connection.transport,
          auth: opened.auth,
          sourceYaml: opened.sourceConfigPath ?? null,
          tools: plan.tools,
          plan: { tables: plan.tables, documents: plan.documents, concurrency: plan.concurrency },
          problems,
          ...(template ? { template } : {}),
        });
        printInspection(out, {
          server: connection.server,
          transport: connection.transport,
          auth: opened.auth,
          plan,
          sourceYaml: opened.sourceConfigPath,
        });
        for (const problem of problems)
          out.line(
            `${problem.severity}: ${problem.line !== undefined ? `source.yaml:${problem.line} ` : ''}${problem.message}`,
          );
        if (template) out.line(`Wrote ${template}: edit it, then run \`ferry source inspect\` again.`);
        if (problems.some((problem) => problem.severity === 'error')) process.exitCode = 2;
        else out.line('Next: ferry extract');
      } finally {
        await opened.connection.close();
      }
    });

  source
    .command('login')
    .description(
      'sign in to the MCP server with OAuth (PKCE, loopback redirect on 127.0.0.1); stores the tokens outside the workspace',
    )
    .option('--port <port>', 'loopback port for the redirect', '33418')
    .option(
      '--client-id <id>',
      'a client id registered for Ferry by the firm (when the server offers no dynamic registration)',
    )
    .option('--no-browser', 'print the sign-in address instead of opening a browser')
    .addHelpText('after', '\nExamples:\n  ferry source login\n  ferry source login --no-browser --port 40123')
    .action(async (options: { port: string; clientId?: string; browser: boolean }, command: Command) => {
      const out = outputFor(command);
      const workspace = mcpWorkspace(command);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new FerryError('config', `--port takes a port number, not '${options.port}'.`, {
          code: 'E_USAGE',
        });
      const store = new CredentialStore();
      store.assertOutside(workspace.dir);
      const server = workspace.sourceUrl!;
      const result = await loginToServer({
        server,
        store,
        fetch: politeFetch(),
        port,
        clientId: options.clientId,
        onAuthorizationUrl: (url) => {
          // The address carries no secret (a client id, a PKCE challenge, a state): it may be shown.
          out.note(`Sign in to ${server} in your browser:\n  ${url.href}`);
          if (options.browser) openBrowser(url.href);
        },
      });
      out.result({ server, outcome: result.outcome, credentials: result.credentialsPath, keychain: false });
      out.line(
        result.outcome === 'signed-in'
          ? `Signed in to ${server}.`
          : `Renewed the stored sign-in to ${server}.`,
      );
      out.line(
        `Credentials: ${result.credentialsPath} (readable by you only, 0600; outside every workspace). No OS keychain is used.`,
      );
      out.line('Next: ferry source inspect');
    });

  source
    .command('logout')
    .description("forget the stored sign-in for the workspace's MCP server")
    .action((_options: unknown, command: Command) => {
      const out = outputFor(command);
      const workspace = mcpWorkspace(command);
      const removed = new CredentialStore().remove(workspace.sourceUrl!);
      out.result({ server: workspace.sourceUrl, removed });
      out.line(
        removed
          ? `Forgot the sign-in to ${workspace.sourceUrl}.`
          : `No sign-in to ${workspace.sourceUrl} was stored.`,
      );
    });
}

function mcpWorkspace(command: Command): Workspace {
  const workspace = loadWorkspace(globalOptions(command).workspace);
  if (!workspace.sourceUrl) {
    throw new FerryError(
      'config',
      `This workspace reads an export folder (${workspace.sourceDir}); \`ferry source\` is for a BackDocket MCP server. Create one with \`ferry init --source https://…/mcp\`.`,
      { code: 'E_NOT_MCP_SOURCE' },
    );
  }
  return workspace;
}

function printInspection(
  out: Output,
  input: { server: string; transport: string; auth: string; plan: ReadPlan; sourceYaml: string | undefined },
): void {
  const { plan } = input;
  const authWords: Record<string, string> = {
    bearer: 'bearer token from BACKDOCKET_TOKEN',
    oauth: 'OAuth sign-in stored by `ferry source login`',
    none: 'no credentials',
  };
  out.line(
    `${input.server} (${input.transport}; ${authWords[input.auth] ?? input.auth})${input.sourceYaml ? `; corrections from ${input.sourceYaml}` : ''}`,
  );
  out.line('');
  out.line(`Tools (${plan.tools.length}); Ferry calls only those marked read:`);
  const width = Math.max(4, ...plan.tools.map((tool) => tool.name.length));
  for (const tool of plan.tools) {
    const use =
      tool.role === 'write'
        ? 'never called'
        : tool.role === 'unused'
          ? `not used: ${tool.note}`
          : `${tool.role} → ${tool.tables.join(', ')}`;
    out.line(`  ${tool.name.padEnd(width)}  ${tool.access.padEnd(5)}  ${use}  (${tool.why})`);
  }
  out.line('');
  out.line(`Read plan (${plan.tables.length} tables, ${plan.concurrency} detail calls in flight):`);
  const tableWidth = Math.max(5, ...plan.tables.map((table) => table.table.length));
  for (const table of plan.tables) {
    const args = Object.keys(table.arguments).length > 0 ? ` ${JSON.stringify(table.arguments)}` : '';
    const paging =
      table.paging.style === 'none'
        ? 'one call'
        : `${table.paging.style} paging (${table.paging.param}${table.paging.sizeParam ? `, ${table.paging.sizeParam}=${table.paging.size}` : ''})`;
    const detail = table.detail ? `; ${table.detail.tool} per record` : '';
    const since = table.modifiedSince ? `; delta filter ${table.modifiedSince}` : '';
    out.line(
      `  ${table.table.padEnd(tableWidth)} ← ${table.tool}${args}, ${paging}${detail}${since}${table.from === 'source.yaml' ? ' [source.yaml]' : ''}`,
    );
  }
  out.line(
    plan.documents
      ? `Documents: downloaded with ${plan.documents.tool} (${plan.documents.idArgument}) for the rows of ${plan.documents.table}`
      : 'Documents: no tool returns document content; documents will be listed as not available from this source',
  );
}

function writeTemplate(workspace: Workspace, plan: ReadPlan): string {
  const path = join(workspace.dir, 'source.yaml');
  if (existsSync(path))
    throw new FerryError('config', `${path} exists; edit it, or move it away to write a fresh template.`, {
      code: 'E_EXISTS',
    });
  writeFileSync(
    path,
    renderSourceConfigTemplate(
      plan.tables.map((table) => ({
        table: table.table,
        tool: table.tool,
        detail: table.detail?.tool ?? null,
      })),
    ),
  );
  return path;
}

/** Opens the sign-in address in the person's browser; quietly does nothing where none can be opened. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here: the address is printed above.
  }
}
