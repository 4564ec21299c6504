import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectPipedrive, flushUsage } from '../cli/connect.ts';
import type { Output } from '../cli/output.ts';
import { ProgressBar } from '../cli/progress-bar.ts';
import type { Plan } from '../config/ferry-config.ts';
import {
  confirmWorkspaceMapping,
  parseMappingFile,
  proposeWorkspaceMapping,
  renderMappingFile,
  sqliteMappingStore,
} from '../mapping/index.ts';
import type { PipedriveRequester } from '../pipedrive/api-types.ts';
import type { PipedriveClient } from '../pipedrive/index.ts';
import { IDENTITY_FIELD } from '../plan/target-schema.ts';
import { toSavedValidation } from '../report/saved-validation.ts';
import { writeReport } from '../report/write-report.ts';
import { readAccountSnapshot, targetSchemaOf } from '../run/account-schema.ts';
import { applySchema } from '../run/apply-schema.ts';
import { migrate } from '../run/migrate.ts';
import { loadMapping, openSession, type WorkspaceSession } from '../run/session.ts';
import { validateWorkspace } from '../run/validate-workspace.ts';
import { readSourceTruth, verifyMigration } from '../run/verify-migration.ts';
import { startSimServer } from '../sim/index.ts';
import { generateExport } from '../source/backdocket/generate/index.ts';
import { type ExtractResult, extractExport } from '../source/backdocket/index.ts';
import { extractFromMcp, openMcpSource } from '../source/mcp/index.ts';
import { startBackdocketSim } from '../source/mcp/sim/backdocket-sim.ts';
import { initWorkspace } from '../workspace/workspace.ts';

export interface DemoOptions {
  readonly dir: string;
  /** `mcp`: the export is served by a local BackDocket-like MCP server and pulled from it. */
  readonly source?: 'files' | 'mcp' | undefined;
  readonly records: number;
  readonly seed: number;
  readonly plan: Plan;
  readonly faults?: string | undefined;
  readonly out: Output;
}

const ADMIN_EMAIL = 'admin@smithlawfirm.com';

/**
 * `ferry demo`: the whole job a user runs, on a generated export, against a simulator started here:
 * extract, propose, confirm (automatically, said so), validate, schema, sample + its diff, full run,
 * verify, report. Returns the report path.
 */
export async function runDemo(options: DemoOptions): Promise<{ reportPath: string; summary: string[] }> {
  const { out } = options;
  const dir = resolve(options.dir);
  const exportDir = join(dir, 'export');
  mkdirSync(dir, { recursive: true });
  out.line(
    `1. Generating a BackDocket export with ${options.records} claims (seed ${options.seed}) in ${exportDir}`,
  );
  const generated = await generateExport({ outDir: exportDir, records: options.records, seed: options.seed });
  out.line(
    `   ${generated.files.length} files, ${generated.files.reduce((sum, file) => sum + file.rows, 0)} rows, with realistic dirt`,
  );

  const staffEmails = readStaffEmails(join(exportDir, 'staff.csv'));
  const sim = await startSimServer({
    port: 0,
    seed: `demo-${options.seed}`,
    plan: options.plan,
    seats: 5,
    ...(options.faults ? { faults: options.faults } : {}),
    users: [
      { name: 'Firm Admin', email: ADMIN_EMAIL },
      ...staffEmails
        .slice(0, Math.max(1, Math.floor(staffEmails.length * 0.7)))
        .map((email) => ({ name: email.split('@')[0] ?? email, email })),
    ],
  });
  out.line(
    `2. Pipedrive simulator (${options.plan}${options.faults ? `, faults ${options.faults}` : ''}) at ${sim.url}`,
  );
  const backdocket =
    options.source === 'mcp'
      ? await startBackdocketSim({ exportDir, port: 0, seed: `demo-${options.seed}` })
      : undefined;
  if (backdocket)
    out.line(`   BackDocket-like MCP server (ferry sim backdocket) serving the export at ${backdocket.url}`);
  try {
    initWorkspace({ dir, source: backdocket?.url ?? exportDir });
    setPlan(join(dir, 'ferry.yaml'), options.plan);
    const session = openSession(dir);
    try {
      const client = connectPipedrive(session, {
        PIPEDRIVE_BASE_URL: sim.url,
        PIPEDRIVE_API_TOKEN: sim.token,
        // The simulator here answers in milliseconds: a `lost` or `timeout` fault should cost seconds, not
        // the minute a real account's timeout allows.
        FERRY_REQUEST_TIMEOUT_MS: process.env.FERRY_REQUEST_TIMEOUT_MS ?? '5000',
      });
      const extract = backdocket
        ? () => pullDemoSource(session, backdocket.token ?? '')
        : () => extractExport({ store: session.store, sourceDir: session.workspace.sourceDir });
      return await runJob({
        session,
        client,
        out,
        extract,
        sampleSize: Math.min(10, Math.max(2, Math.floor(options.records / 10))),
      });
    } finally {
      session.close();
    }
  } finally {
    await backdocket?.close();
    await sim.close();
  }
}

/** Pulls the demo's export from its MCP server with the server's own token (never written anywhere). */
async function pullDemoSource(session: WorkspaceSession, token: string): Promise<ExtractResult> {
  const source = await openMcpSource({
    workspace: session.workspace,
    env: { ...process.env, BACKDOCKET_TOKEN: token },
  });
  try {
    return await extractFromMcp({
      store: session.store,
      connection: source.connection,
      plan: source.plan,
      documentsDir: session.workspace.sourceDir,
    });
  } finally {
    await source.connection.close();
  }
}

async function runJob(input: {
  session: WorkspaceSession;
  client: PipedriveClient;
  out: Output;
  extract: () => Promise<ExtractResult>;
  sampleSize: number;
}) {
  const { session, client, out } = input;
  const extracted = await input.extract();
  out.line(
    `3. Extracted ${extracted.files.length} ${session.workspace.sourceUrl ? 'tables from the MCP server (read-only tools only)' : 'files'}:`,
  );
  for (const file of extracted.files) {
    out.line(
      `   ${file.file.padEnd(28)} → ${(file.detection.object ?? 'unrecognised').padEnd(16)} ${String(file.rowCount).padStart(6)} rows`,
    );
  }
  const proposed = await proposeWorkspaceMapping(session.workspace, sqliteMappingStore(session.store));
  const fields = proposed.proposal.objects.reduce((sum, object) => sum + object.fields.length, 0);
  out.line(
    `4. Proposed a mapping for ${proposed.proposal.objects.length} files and ${fields} columns: ${proposed.path}`,
  );
  setFallbackOwner(session.workspace.mappingPath, ADMIN_EMAIL);
  confirmWorkspaceMapping(session.workspace, sqliteMappingStore(session.store), {
    confirmedBy: 'ferry demo',
  });
  out.line(
    `   NOTICE: the demo confirms the mapping automatically (fallback owner ${ADMIN_EMAIL}). With real data, a person reviews mapping.yaml and runs \`ferry map confirm\`.`,
  );
  const { mapping, hash } = loadMapping(session, { confirmed: true });

  const validation = await validateWorkspace({ session, mapping, client });
  session.store.setMeta('validation', JSON.stringify(toSavedValidation(validation)));
  out.line(
    `5. Validation: ${validation.counts.error} error(s), ${validation.counts.warning} warning(s); ${validation.quarantined.length} row(s) quarantined. Most frequent:`,
  );
  const byCode = new Map<string, number>();
  for (const issue of validation.issues) byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1);
  for (const [code, count] of [...byCode].sort((a, b) => b[1] - a[1]).slice(0, 8))
    out.line(`   ${code.padEnd(30)} ${count}`);

  const schemaRun = session.journal.startRun('schema', { mappingHash: hash });
  const schema = await applySchema({ client, journal: session.journal, runId: schemaRun, mapping });
  session.journal.finishRun(schemaRun, 'completed', { created: schema.created.length });
  out.line(
    `6. Schema: created ${schema.created.length} part(s) (pipelines, stages, custom fields, activity types)`,
  );

  const bar = new ProgressBar(out);
  const onProgress = (progress: { overall: { done: number; total: number } }) =>
    bar.update({ label: 'records', done: progress.overall.done, total: progress.overall.total });
  const sample = await migrate({
    session,
    mapping,
    mappingHash: hash,
    client,
    mode: 'sample',
    sampleSize: input.sampleSize,
    onProgress,
  });
  bar.finish();
  const sampleVerify = await verify(session, client);
  out.line(
    `7. Sample of ${input.sampleSize} claims (${sample.sampleClaims?.join(', ')}): sign-off diff — ${sampleVerify.diffs.length} difference(s), ${sampleVerify.missing.length} missing`,
  );

  const full = await migrate({ session, mapping, mappingHash: hash, client, mode: 'full', onProgress });
  bar.finish();
  const created = Object.values(full.stats).reduce((sum, entity) => sum + entity.created + entity.adopted, 0);
  out.line(`8. Full run ${full.status}: ${created} record(s) created`);
  const verification = await verify(session, client);
  out.line(
    `9. Verified ${verification.entities.reduce((sum, entity) => sum + entity.found, 0)} records: ${verification.ok ? 'all match, every link as the export says' : `${verification.diffs.length} field difference(s), ${verification.linkDifferences.length} link(s) missing or wrong`} (${verification.tokens} tokens)`,
  );
  flushUsage(client);
  const report = writeReport(session);
  out.line(`10. Report: ${report.htmlPath}`);
  return { reportPath: report.htmlPath, summary: report.summary };
}

async function verify(session: WorkspaceSession, client: PipedriveRequester) {
  const schema = targetSchemaOf(await readAccountSnapshot(client));
  const result = await verifyMigration({
    journal: session.journal,
    client,
    identityKeys: {
      deal: schema.customField('deal', IDENTITY_FIELD)?.key,
      person: schema.customField('person', IDENTITY_FIELD)?.key,
      organization: schema.customField('organization', IDENTITY_FIELD)?.key,
    },
    sourceRows: () => 0,
    source: readSourceTruth(session),
  });
  session.store.setMeta('verification', JSON.stringify(result));
  return result;
}

function setFallbackOwner(mappingPath: string, email: string): void {
  const parsed = parseMappingFile(readFileSync(mappingPath, 'utf8'), mappingPath);
  if (!parsed.mapping) return;
  const mapping = {
    ...parsed.mapping,
    owners: { ...parsed.mapping.owners, fallbackOwnerEmail: email, unresolved: 'fallback' as const },
  };
  writeFileSync(mappingPath, renderMappingFile(mapping));
}

function setPlan(configPath: string, plan: Plan): void {
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace(/plan: \w+/, `plan: ${plan}`));
}

function readStaffEmails(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [
    ...new Set(
      [...text.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)].map((match) =>
        match[0].toLowerCase(),
      ),
    ),
  ];
}
