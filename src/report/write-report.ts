import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowOutcome } from '../core/records.ts';
import type { WorkspaceSession } from '../run/session.ts';
import { assembleReport } from './assemble-report.ts';
import type { ReportData } from './model.ts';
import { assembleRebuildItems } from './rebuild-reference.ts';
import { renderReportHtml } from './render-report-html.ts';

/** Writes `.ferry/report/report.html` and `report.json`; returns their paths and a five-line summary. */
export function writeReport(session: WorkspaceSession, options: { dir?: string; now?: Date } = {}) {
  const data = assembleReport(session, {
    rebuild: assembleRebuildItems,
    ...(options.now ? { now: options.now } : {}),
  });
  const dir = options.dir ?? join(session.workspace.stateDir, 'report');
  mkdirSync(dir, { recursive: true });
  const htmlPath = join(dir, 'report.html');
  const jsonPath = join(dir, 'report.json');
  writeFileSync(htmlPath, renderReportHtml(data));
  writeFileSync(jsonPath, `${JSON.stringify(data, null, 2)}\n`);
  return { htmlPath, jsonPath, data, summary: summaryLines(data) };
}

function summaryLines(data: ReportData): string[] {
  const extracted = data.accountability.reduce((sum, file) => sum + file.extracted, 0);
  const count = (outcome: RowOutcome) =>
    data.accountability.reduce((sum, file) => sum + (file.outcomes[outcome] ?? 0), 0);
  const created = data.recordsByEntity.reduce((sum, row) => sum + row.created, 0);
  const verified = data.verification
    ? data.verification.ok
      ? 'verified: every record and link matches'
      : 'verified: differences found'
    : 'not verified yet';
  return [
    `Rows: ${extracted} extracted → ${count('migrated') + count('updated')} migrated, ${count('skipped')} skipped, ${count('held')} held, ${count('quarantined')} quarantined, ${count('failed')} failed`,
    `Pipedrive: ${created} records created (${data.recordsByEntity
      .filter((row) => row.created > 0)
      .map((row) => `${row.entity} ${row.created}`)
      .join(', ')})`,
    `Checks: ${verified}`,
    `Cost: ${data.totals.requests} requests, ${data.totals.tokens} API tokens`,
    `Rebuild by hand: ${data.rebuild.map((item) => item.topic).join('; ')}`,
  ];
}
