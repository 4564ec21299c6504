import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FerryError } from '../../core/errors.ts';
import { IDENTITY_FIELD } from '../../plan/target-schema.ts';
import { readAccountSnapshot, targetSchemaOf } from '../../run/account-schema.ts';
import { openSession } from '../../run/session.ts';
import {
  describeIdentityDifference,
  describeLinkDifference,
  readSourceTruth,
  verifyMigration,
} from '../../run/verify-migration.ts';
import { MIN_LINK_COVERAGE, percent } from '../../validate/link-coverage.ts';
import type { LinkCheck } from '../../verify/diff-links.ts';
import { connectPipedrive } from '../connect.ts';
import { globalOptions, outputFor } from '../global-options.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('read back every migrated record and diff it field by field; exit 4 on any difference')
    .option('--csv <file>', 'write the field-level diff to this CSV (default: .ferry/verify-diff.csv)')
    .option('--limit <n>', 'differences to print in the terminal', '20')
    .addHelpText('after', '\nExample:\n  ferry verify\n  ferry verify --json > verify.json')
    .action(async (options: { csv?: string; limit: string }, command: Command) => {
      const out = outputFor(command);
      const session = openSession(globalOptions(command).workspace);
      try {
        const client = connectPipedrive(session);
        const schema = targetSchemaOf(await readAccountSnapshot(client));
        const sourceRows = session.store.db
          .prepare(
            "SELECT entity, count(*) AS n FROM row_outcomes WHERE outcome IN ('migrated', 'updated') GROUP BY entity",
          )
          .all() as { entity: string; n: number }[];
        const source = readSourceTruth(session);
        if (!source)
          out.note(
            'verify: mapping.yaml is missing or not valid: links and identities are not re-derived from the export.',
          );
        else if (source.mappingConfirmed === false)
          out.note(
            'verify: mapping.yaml changed since it was confirmed: links are derived from it as it is now, which may differ from what was migrated.',
          );
        const result = await verifyMigration({
          journal: session.journal,
          client,
          identityKeys: {
            deal: schema.customField('deal', IDENTITY_FIELD)?.key,
            person: schema.customField('person', IDENTITY_FIELD)?.key,
            organization: schema.customField('organization', IDENTITY_FIELD)?.key,
          },
          sourceRows: (entity) => sourceRows.find((row) => row.entity === entity)?.n ?? 0,
          source,
        });
        const csvPath = options.csv ?? join(session.workspace.stateDir, 'verify-diff.csv');
        writeFileSync(csvPath, diffCsv(result));
        session.store.setMeta('verification', JSON.stringify(result));
        out.result({ ...result, csv: csvPath });
        out.line(`${'entity'.padEnd(13)} source expected  found matching differing missing unexpected`);
        for (const e of result.entities) {
          out.line(
            `${e.entity.padEnd(13)} ${String(e.sourceRows).padStart(6)} ${String(e.expected).padStart(8)} ${String(e.found).padStart(6)} ${String(
              e.matching,
            ).padStart(
              8,
            )} ${String(e.differing).padStart(9)} ${String(e.missing).padStart(7)} ${String(e.unexpected).padStart(10)}`,
          );
        }
        const limit = Number(options.limit) || 20;
        for (const diff of result.diffs.slice(0, limit)) {
          out.line(
            `  ${diff.entity} ${diff.pipedriveId} (${diff.identity}) ${diff.field}: expected ${show(diff.expected)}, found ${show(diff.actual)}`,
          );
        }
        if (result.diffs.length > limit) out.line(`  … ${result.diffs.length - limit} more in ${csvPath}`);
        for (const record of result.missing.slice(0, limit))
          out.line(`  missing: ${record.entity} ${record.pipedriveId} (${record.identity})`);
        for (const record of result.unexpected.slice(0, limit))
          out.line(`  unexpected: ${record.entity} ${record.pipedriveId} (${record.identity})`);
        if (result.links.length > 0) {
          out.line(
            'Links, re-derived from the export (migrated records carrying a reference → linked as the rows say):',
          );
          for (const check of result.links) out.line(`  ${linkCheckLine(check)}`);
        }
        for (const difference of result.linkDifferences.slice(0, limit))
          out.line(`  link ${difference.kind}: ${describeLinkDifference(difference)}`);
        if (result.linkDifferences.length > limit)
          out.line(`  … ${result.linkDifferences.length - limit} more link difference(s) in ${csvPath}`);
        for (const difference of result.identities.differences.slice(0, limit))
          out.line(`  identity: ${describeIdentityDifference(difference)}`);
        out.line(
          `Verification used ${result.requests} request(s), ${result.tokens} token(s), read back in ${(result.readBack.ms / 1000).toFixed(1)} s with up to ${result.readBack.busiestInFlight} at once. Diff: ${csvPath}`,
        );
        if (!result.ok) {
          const lowLinks = result.links.filter((check) => check.share < MIN_LINK_COVERAGE);
          throw new FerryError(
            'verification',
            `Verification found ${result.diffs.length} field difference(s), ${result.missing.length} missing and ${result.unexpected.length} unexpected record(s), ${result.linkDifferences.length} link(s) missing or wrong${
              lowLinks.length > 0
                ? ` (${lowLinks.map((check) => check.relationship).join(', ')} below 99% linked)`
                : ''
            } and ${result.identities.differences.length} identity difference(s).`,
          );
        }
        out.line('Every migrated record matches.');
      } finally {
        session.close();
      }
    });
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function diffCsv(result: Awaited<ReturnType<typeof verifyMigration>>): string {
  const cell = (value: unknown) => {
    const text =
      typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
    const guarded = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
  };
  const rows = [
    ['entity', 'pipedrive_id', 'record', 'field', 'expected', 'actual'],
    ...result.diffs.map((d) => [d.entity, d.pipedriveId, d.identity, d.field, d.expected, d.actual]),
    ...result.missing.map((d) => [d.entity, d.pipedriveId, d.identity, '(record)', 'present', 'missing']),
    ...result.unexpected.map((d) => [
      d.entity,
      d.pipedriveId,
      d.identity,
      '(record)',
      'absent',
      'unexpected',
    ]),
    ...result.linkDifferences.map((d) => [
      d.child.entity,
      d.child.pipedriveId,
      d.child.identity,
      `${d.field} (${d.relationship})`,
      d.expected.map((parent) => `${parent.pipedriveId} ${parent.identity}`).join(' | ') ||
        '(not in Pipedrive)',
      d.actual.map((parent) => `${parent.pipedriveId} ${parent.identity ?? ''}`.trim()).join(' | ') ||
        '(empty)',
    ]),
    ...result.identities.differences.map((d) => [
      d.entity,
      d.pipedriveId ?? '',
      d.identity,
      '(identity)',
      d.identity,
      d.kind === 'absent' ? '(no record carries it)' : `on ${d.foundOn}`,
    ]),
  ];
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** One relationship as verify found it in Pipedrive. */
function linkCheckLine(check: LinkCheck): string {
  const problems = [
    check.missing > 0 ? `${check.missing} missing` : '',
    check.wrong > 0 ? `${check.wrong} wrong` : '',
    check.parentAbsent > 0 ? `${check.parentAbsent} whose record is not in Pipedrive` : '',
  ].filter(Boolean);
  if (check.checked === 0) return `${check.relationship.padEnd(20)} no migrated record carries a reference`;
  return `${check.relationship.padEnd(20)} ${String(check.linked).padStart(7)} of ${String(check.checked).padEnd(7)} ${percent(
    check.share,
  ).padStart(6)}${problems.length > 0 ? `  (${problems.join(', ')})` : ''}`;
}
