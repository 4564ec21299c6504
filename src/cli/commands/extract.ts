import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { countBySeverity } from '../../core/issues.ts';
import { type ExtractProgress, extractExport } from '../../source/backdocket/index.ts';
import { isSourceUrl, loadWorkspace, openWorkspaceStore } from '../../workspace/workspace.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import { describePull, pullFromMcp } from '../mcp-extract.ts';

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description(
      'read the BackDocket export (or pull from its MCP server) into the workspace store: inventory, column profiles, data-quality issues, delta',
    )
    .option(
      '--source <dir>',
      'read this export folder instead of the one in ferry.yaml (a newer export for a delta)',
    )
    .option(
      '--keep-going',
      'set unreadable files aside (quarantined, with the reason) and extract the rest',
      false,
    )
    .addHelpText(
      'after',
      '\nExample:\n  ferry extract\n  ferry extract --source ./export-2024-06-01 --json   # newer export: new/changed/vanished rows\n  ferry extract                                       # on an MCP workspace: pulls every table (resumes a killed pull)',
    )
    .action(async (options: { source?: string; keepGoing: boolean }, command: Command) => {
      const out = outputFor(command);
      const workspace = loadWorkspace(globalOptions(command).workspace);
      const store = openWorkspaceStore(workspace);
      const release = store.acquireLock('extract');
      const controller = new AbortController();
      const onSignal = () =>
        controller.abort(
          new FerryError(
            'transient',
            'Interrupted. Run `ferry extract` again: files already read (pages already pulled) are kept.',
          ),
        );
      process.once('SIGINT', onSignal);
      try {
        const mcp = workspace.sourceUrl !== undefined;
        if (options.source !== undefined && isSourceUrl(options.source) !== mcp)
          throw new FerryError(
            'config',
            `This workspace reads ${mcp ? `the MCP server ${workspace.sourceUrl}` : `the export folder ${workspace.sourceDir}`}; --source must be ${mcp ? 'an MCP server URL' : 'an export folder'} too. For the other kind of source, start a workspace with \`ferry init --source …\`.`,
            { code: 'E_USAGE' },
          );
        const pulled = mcp
          ? await pullFromMcp({
              workspace: options.source ? { ...workspace, sourceUrl: options.source } : workspace,
              store,
              out,
              changedOnly: false,
              signal: controller.signal,
            })
          : undefined;
        const result =
          pulled ??
          (await extractExport({
            store,
            sourceDir: options.source ?? workspace.sourceDir,
            keepGoing: options.keepGoing,
            signal: controller.signal,
            onProgress: (p) => {
              const line = extractProgressLine(p);
              // Plain output gets one line per file, once its rows are counted, and one per 50,000 rows of
              // a long file; a terminal redraws the line as it goes.
              if (!out.json && (out.interactive || p.phase === 'finished' || p.rows > 0)) out.progress(line);
            },
          }));
        out.endProgress();
        out.result({
          runId: result.runId,
          sourceDir: result.sourceDir,
          files: result.files,
          issues: result.issues,
          delta: result.delta,
          quarantined: result.quarantined,
          ...(pulled
            ? {
                resumed: pulled.resumed,
                calls: pulled.calls,
                documents: pulled.documents,
                retries: pulled.fetch,
              }
            : {}),
        });
        out.line(`Extracted ${result.sourceDir} (run ${result.runId})`);
        for (const line of pulled ? describePull(pulled) : []) out.line(line);
        out.line('');
        const width = Math.max(
          4,
          ...result.files.map((f) => f.file.length),
          ...result.quarantined.map((q) => q.file.length),
        );
        out.line(
          `${'file'.padEnd(width)}  ${'object'.padEnd(17)} conf   ${'rows'.padStart(9)}  issues  new/changed/vanished`,
        );
        for (const file of result.files) {
          const own = result.issues.filter((i) => i.file === file.file);
          const d = result.delta[file.file];
          out.line(
            `${file.file.padEnd(width)}  ${(file.detection.object ?? '(unknown)').padEnd(17)} ${file.detection.confidence.toFixed(2)}  ${String(file.rowCount).padStart(9)}  ${String(own.length).padStart(6)}  ${d ? `${d.new}/${d.changed}/${d.vanished}` : '-'}`,
          );
        }
        for (const q of result.quarantined) out.line(`${q.file.padEnd(width)}  QUARANTINED: ${q.reason}`);
        for (const [file, d] of Object.entries(result.delta)) {
          if (
            !result.files.some((f) => f.file === file) &&
            !result.quarantined.some((q) => q.file === file)
          ) {
            out.line(`${file.padEnd(width)}  gone from the export: ${d.vanished} rows vanished`);
          }
        }
        const unknown = result.files.filter((f) => f.detection.object === null);
        for (const f of unknown) out.line(`\n${f.file}: ${f.detection.reason}`);
        const counts = countBySeverity(result.issues);
        const byCode = new Map<string, number>();
        for (const issue of result.issues) byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
        out.line('');
        out.line(`Issues: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`);
        for (const [code, n] of [...byCode.entries()].sort((a, b) => b[1] - a[1]))
          out.line(`  ${code.padEnd(30)} ${n}`);
        const totals = Object.values(result.delta).reduce(
          (t, d) => ({
            new: t.new + d.new,
            changed: t.changed + d.changed,
            vanished: t.vanished + d.vanished,
            unchanged: t.unchanged + d.unchanged,
          }),
          { new: 0, changed: 0, vanished: 0, unchanged: 0 },
        );
        out.line(
          `Delta: ${totals.new} new, ${totals.changed} changed, ${totals.vanished} vanished, ${totals.unchanged} unchanged rows`,
        );
        out.line('Next: ferry map propose');
      } finally {
        process.removeListener('SIGINT', onSignal);
        release();
        store.close();
      }
    });
}

/**
 * One progress line of `ferry extract`.
 * @example extractProgressLine({ file: 'claims.csv', filesDone: 8, filesTotal: 17, rows: 29, phase: 'finished' })
 * // 'extract: claims.csv (9/17) 29 rows'
 */
export function extractProgressLine(p: ExtractProgress): string {
  const position = `${p.file} (${p.filesDone + 1}/${p.filesTotal})`;
  const rows = `${p.rows.toLocaleString('en-US')} ${p.rows === 1 ? 'row' : 'rows'}`;
  return p.phase === 'finished'
    ? `extract: ${position} ${rows}`
    : `extract: ${position} reading… ${rows} so far`;
}
