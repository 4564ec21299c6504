import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import {
  confirmWorkspaceMapping,
  editWorkspaceMapping,
  OpenAiCompatibleReranker,
  parseMappingFile,
  proposeWorkspaceMapping,
  type Reranker,
  sqliteMappingStore,
} from '../../mapping/index.ts';
import { iterateRows } from '../../source/backdocket/index.ts';
import type { SqliteStore } from '../../store/sqlite-store.ts';
import {
  type ContactMergeProposal,
  type ContactMerges,
  contactMergeEdits,
  readContactMerges,
} from '../../validate/duplicates.ts';
import { loadWorkspace, openWorkspaceStore } from '../../workspace/workspace.ts';
import { globalOptions, outputFor } from '../global-options.ts';

/** The optional LLM re-ranker, from the environment (it sees headers and value patterns only). */
function rerankerFromEnv(): Reranker {
  const baseUrl = process.env.FERRY_RERANK_URL;
  const model = process.env.FERRY_RERANK_MODEL;
  if (!baseUrl || !model) {
    throw new FerryError(
      'config',
      '--rerank needs FERRY_RERANK_URL (an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1) and FERRY_RERANK_MODEL. Set them, or run without --rerank.',
      { code: 'E_RERANK_CONFIG' },
    );
  }
  return new OpenAiCompatibleReranker({ baseUrl, model, apiKey: process.env.FERRY_RERANK_API_KEY });
}

export function registerMap(program: Command): void {
  const map = program
    .command('map')
    .description('propose the mapping of the export onto Pipedrive (mapping.yaml), then confirm (lock) it');

  map
    .command('propose')
    .description(
      'write mapping.yaml: entity per file, target per column with confidence and reason; keeps your edits',
    )
    .option(
      '--rerank',
      'ask an OpenAI-compatible model about uncertain columns (headers and value patterns only, never values)',
      false,
    )
    .addHelpText('after', '\nExample:\n  ferry map propose\n  ferry map propose --json > proposal.json')
    .action(async (options: { rerank: boolean }, command: Command) => {
      const out = outputFor(command);
      const workspace = loadWorkspace(globalOptions(command).workspace);
      const store = openWorkspaceStore(workspace);
      const release = store.acquireLock('map propose');
      try {
        const result = await proposeWorkspaceMapping(
          workspace,
          sqliteMappingStore(store),
          options.rerank ? { reranker: rerankerFromEnv() } : {},
        );
        out.result(result.proposal);
        if (result.backup)
          out.note(`The old mapping.yaml could not be read; it was kept as ${result.backup}.`);
        out.line(`Wrote ${result.path}`);
        out.line('');
        const width = Math.max(4, ...result.proposal.objects.map((o) => o.file.length));
        out.line(`${'file'.padEnd(width)}  ${'object → entity'.padEnd(30)} conf  mapped  left for you`);
        let leftTotal = 0;
        for (const object of result.proposal.objects) {
          const mapped = object.fields.filter((f) => f.target !== null).length;
          const left = object.fields.filter((f) => f.target === null && f.reason.startsWith('uncertain'));
          leftTotal += left.length;
          out.line(
            `${object.file.padEnd(width)}  ${`${object.object ?? '(unknown)'} → ${object.entity ?? '-'}`.padEnd(30)} ${object.confidence.toFixed(2)}  ${`${mapped}/${object.fields.length}`.padStart(6)}  ${left.map((f) => f.column).join(', ') || '-'}`,
          );
        }
        const unassigned = result.proposal.objects.filter((o) => o.object === null);
        if (unassigned.length > 0) {
          out.line('');
          out.line(`${unassigned.length} file(s) were not recognised; set their object in mapping.yaml:`);
          for (const object of unassigned) {
            const candidates = (object.candidates ?? [])
              .map((c) => `${c.object} (${c.confidence.toFixed(2)}: ${c.reason})`)
              .join('; ');
            out.line(
              `  ${object.file}: ${candidates ? `could be ${candidates}` : 'no object fits its columns'}`,
            );
          }
        }
        out.line('');
        if (result.edits.length > 0)
          out.line(
            `Kept ${result.edits.length} of your edits (entries that differ from Ferry's last proposal).`,
          );
        out.line(
          leftTotal > 0
            ? `${leftTotal} column(s) were too uncertain to guess ("LEFT FOR YOU" in mapping.yaml): set their target or leave null.`
            : 'Every column has a proposed target or a reason it is not migrated.',
        );
        out.line('Next: review mapping.yaml, then ferry map confirm');
      } finally {
        release();
        store.close();
      }
    });

  map
    .command('confirm')
    .description(
      'validate mapping.yaml and lock it (sha256 of the file); migrate refuses to run until it is confirmed',
    )
    .option(
      '--accept-merges',
      'accept every duplicate-contact merge Ferry proposes (written under duplicates.accepted) before locking',
      false,
    )
    .addHelpText(
      'after',
      '\nExample:\n  ferry map confirm\n  ferry map confirm --accept-merges   # also merge the likely duplicate contacts listed by ferry validate\n  ferry map confirm --json   # {"confirmed": true, "hash": "…", "path": "…/mapping.yaml"}',
    )
    .action((options: { acceptMerges: boolean }, command: Command) => {
      const out = outputFor(command);
      const workspace = loadWorkspace(globalOptions(command).workspace);
      const store = openWorkspaceStore(workspace);
      const release = store.acquireLock('map confirm');
      try {
        let merges = readWorkspaceContactMerges(workspace.mappingPath, store);
        const open = merges?.proposals.filter((proposal) => !proposal.accepted) ?? [];
        if (options.acceptMerges && open.length > 0) {
          editWorkspaceMapping(workspace, contactMergeEdits(open));
          merges = readWorkspaceContactMerges(workspace.mappingPath, store);
        }
        const result = confirmWorkspaceMapping(workspace, sqliteMappingStore(store));
        const proposals = merges?.proposals ?? [];
        out.result({
          confirmed: result.confirmed,
          hash: result.hash,
          path: result.path,
          confirmedBy: result.lock.confirmedBy,
          confirmedAt: result.lock.confirmedAt,
          warnings: result.warnings,
          duplicates: {
            accepted: proposals.filter((proposal) => proposal.accepted).length,
            notAccepted: proposals.filter((proposal) => !proposal.accepted),
          },
        });
        for (const warning of result.warnings) out.line(`warning: ${warning.message}`);
        out.line(`Confirmed ${result.path}`);
        out.line(`  sha256 ${result.hash}, by ${result.lock.confirmedBy} at ${result.lock.confirmedAt}`);
        for (const line of mergeSummary(proposals)) out.line(line);
        out.line('Any change to mapping.yaml needs a new `ferry map confirm`.');
      } finally {
        release();
        store.close();
      }
    });
}

/** Duplicate contacts under the mapping's rule and accepted merges; undefined without a valid mapping. */
function readWorkspaceContactMerges(mappingPath: string, store: SqliteStore): ContactMerges | undefined {
  if (!existsSync(mappingPath)) return undefined;
  const { mapping } = parseMappingFile(readFileSync(mappingPath, 'utf8'), mappingPath);
  const file = mapping?.objects.find((candidate) => candidate.object === 'contact');
  if (!mapping || !file) return undefined;
  return readContactMerges({ file, rows: iterateRows(store, file.file), duplicates: mapping.duplicates });
}

/** What `map confirm` says about duplicate contacts: merges accepted, and proposals nobody accepted yet. */
function mergeSummary(proposals: readonly ContactMergeProposal[]): string[] {
  const open = proposals.filter((proposal) => !proposal.accepted);
  const accepted = proposals.length - open.length;
  const lines: string[] = [];
  if (accepted > 0)
    lines.push(`Duplicate contacts: ${accepted} merge(s) accepted (duplicates in mapping.yaml).`);
  if (open.length === 0) return lines;
  lines.push(
    `Duplicate contacts: ${open.length} likely duplicate(s) found and NOT merged; each becomes a person of its own:`,
  );
  for (const proposal of open.slice(0, 10)) {
    lines.push(
      `  ${proposal.file}:${proposal.duplicateLine} contact ${proposal.duplicate} looks like ${proposal.into} (line ${proposal.intoLine}): ${proposal.why}`,
    );
  }
  if (open.length > 10) lines.push(`  … ${open.length - 10} more (ferry validate lists them)`);
  lines.push(
    '  To merge them: `ferry map confirm --accept-merges` (all), the Validation page of `ferry ui` (one by one), or duplicates.merge: all in mapping.yaml.',
  );
  return lines;
}
