import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatExamples, formatIssueLocation, type Issue } from '../../core/issues.ts';
import { toSavedValidation } from '../../report/saved-validation.ts';
import { savePlannedRecords } from '../../run/expected-records.ts';
import { loadMapping, openSession } from '../../run/session.ts';
import { validateWorkspace } from '../../run/validate-workspace.ts';
import { type LinkCoverage, MIN_LINK_COVERAGE, percent } from '../../validate/link-coverage.ts';
import { describeStanding } from '../../validate/ownership.ts';
import { accountLimitsOf, connectPipedrive } from '../connect.ts';
import { globalOptions, outputFor } from '../global-options.ts';
import { limitsLines } from '../limits-lines.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'preflight: run the confirmed mapping over every row without writing; issues, ownership, account checks',
    )
    .option('--csv <file>', 'also write every issue to this CSV file (default: .ferry/validation-issues.csv)')
    .option('--limit <n>', 'issues to print per code in the terminal', '5')
    .addHelpText('after', '\nExample:\n  ferry validate\n  ferry validate --json > validation.json')
    .action(async (options: { csv?: string; limit: string }, command: Command) => {
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      try {
        const { mapping, hash } = loadMapping(session, { confirmed: true });
        const client = connectPipedrive(session);
        const report = await validateWorkspace({
          session,
          mapping,
          client,
          limits: () => accountLimitsOf(client),
        });
        const csvPath = options.csv ?? join(session.workspace.stateDir, 'validation-issues.csv');
        writeFileSync(csvPath, issuesCsv(report.issues));
        session.store.setMeta('validation', JSON.stringify(toSavedValidation(report)));
        savePlannedRecords(session.store, { mappingHash: hash, records: report.records });
        out.result({ ...report, csv: csvPath });
        const limit = Number(options.limit) || 5;
        const byCode = new Map<string, Issue[]>();
        for (const issue of report.issues) byCode.set(issue.code, [...(byCode.get(issue.code) ?? []), issue]);
        out.line(
          `Validation: ${report.counts.error} error(s), ${report.counts.warning} warning(s), ${report.counts.info} note(s)`,
        );
        for (const [code, issues] of [...byCode].sort((a, b) => b[1].length - a[1].length)) {
          const severity = issues[0]?.severity ?? 'info';
          out.line(`\n[${severity}] ${code} × ${issues.length}`);
          for (const issue of issues.slice(0, limit)) {
            out.line(`  ${formatIssueLocation(issue) || '-'}: ${issue.message}`);
            if (issue.examples?.length) out.line(`    rows: ${formatExamples(issue)}`);
            if (issue.fix && issue.severity === 'error') out.line(`    fix: ${issue.fix}`);
          }
          if (issues.length > limit) out.line(`  … ${issues.length - limit} more in ${csvPath}`);
        }
        out.line('\nLinks (rows carrying a reference → links that will be made):');
        for (const line of linkCoverageLines(report.links)) out.line(`  ${line}`);
        out.line('\nOwnership:');
        for (const entry of report.ownership.entries) {
          out.line(
            `  ${entry.staff.name.padEnd(24)} ${describeStanding(entry).padEnd(48)} → ${entry.ownerUserId ?? 'HELD'} (${entry.ownedRecords} record(s))`,
          );
        }
        if (report.ownership.heldRecords > 0) {
          out.line(
            `  ${report.ownership.heldRecords} record(s) held until their owner is resolved (owners.staff per person, or owners.fallbackOwnerEmail; ferry ui lets you pick).`,
          );
        }
        const { account } = report;
        out.line('\nAccount:');
        out.line(
          `  token user: ${account.user.name} <${account.user.email}>${account.user.admin ? ' (admin)' : ' (NOT admin)'}`,
        );
        for (const line of limitsLines(report.limits, report.implied)) out.line(`  ${line}`);
        out.line(
          `  created records will be visible to: ${account.visibleTo === 3 || account.visibleTo === 7 ? 'the entire company' : `visible_to=${account.visibleTo}`}`,
        );
        out.line(
          `\nRecords to create: ${Object.entries(report.records)
            .map(([entity, n]) => `${entity} ${n}`)
            .join(', ')}`,
        );
        out.line(`Quarantined rows: ${report.quarantined.length} (listed in ${csvPath} and the report)`);
        if (report.held.length > 0) {
          out.line(
            `Held rows: ${report.held.length}, waiting for an owner (owners.staff or owners.fallbackOwnerEmail in mapping.yaml, or ferry ui); they move on the next run once it is set`,
          );
        }
        out.line(`All issues: ${csvPath}`);
        if (report.blocking.length > 0 || report.counts.error > 0) {
          out.line(
            report.blocking.length > 0
              ? `\n${report.blocking.length} blocking error(s): fix them before migrating.`
              : '\nErrors quarantine their rows; the rest can migrate. Fix and re-run, or go ahead: ferry migrate --sample 20',
          );
          process.exitCode = 3;
        } else out.line('\nNext: ferry migrate --sample 20');
      } finally {
        session.close();
      }
    });
}

export function issuesCsv(issues: readonly Issue[]): string {
  const header = ['code', 'severity', 'file', 'line', 'source_key', 'field', 'message', 'fix'];
  const cell = (value: unknown) => {
    const text = value === undefined || value === null ? '' : String(value);
    const guarded = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
  };
  const lines = issues.map((issue) =>
    [
      issue.code,
      issue.severity,
      issue.file,
      issue.line,
      issue.sourceKey,
      issue.field,
      issue.message,
      issue.fix,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * The link coverage table as terminal lines, one per relationship, and per reference column when a
 * relationship reads several.
 * @example linkCoverageLines(report.links)[0] // 'deal→person           359 with a reference    359 linked  100%'
 */
export function linkCoverageLines(links: readonly LinkCoverage[]): string[] {
  return links.flatMap((row) => {
    if (row.withReference === 0) return [`${row.relationship.padEnd(20)} no reference in the export`];
    const flag = row.share < MIN_LINK_COVERAGE ? '  BLOCKS (below 99%)' : '';
    const head = `${row.relationship.padEnd(20)} ${String(row.withReference).padStart(7)} with a reference ${String(
      row.linked,
    ).padStart(7)} linked ${percent(row.share).padStart(6)}${flag}`;
    const columns =
      row.columns.length > 1 || flag
        ? row.columns.map(
            (column) =>
              `    ${column.file} [${column.column}]: ${column.linked} of ${column.withReference} linked`,
          )
        : [];
    return [head, ...columns];
  });
}
