import { percent } from '../validate/link-coverage.ts';
import type { ReportData } from './model.ts';

/** Escapes text for HTML content and attribute values; every source value passes through it. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const OUTCOME_COLOURS: Readonly<Record<string, string>> = {
  migrated: '#2f7d4f',
  updated: '#3b6ea8',
  skipped: '#a8a29e',
  held: '#7c6bb0',
  quarantined: '#d08c2b',
  failed: '#b83a3a',
  pending: '#d6d3d1',
};

/**
 * The migration summary as ONE self-contained HTML file: no network, inline CSS, inline SVG charts,
 * printable. Plain words first (the headline), detail below. Pure.
 */
export function renderReportHtml(data: ReportData): string {
  const sections = [
    section('What moved', recordsChart(data) + accountabilityTable(data)),
    section('Links between records', linksTable(data)),
    section('What needs attention', issuesTable(data) + ownershipTable(data)),
    section('Verification', verificationBlock(data)),
    section('What to rebuild by hand', rebuildBlock(data)),
    ...(data.documentsNotAvailable
      ? [section('Documents not available from this source', documentsNotAvailableBlock(data))]
      : []),
    section('Schema Ferry created', schemaTable(data)),
    section('Timestamps Pipedrive could not take', timestampsTable(data)),
    section('Runs, requests and tokens', runsChart(data) + tokensChart(data) + runsTable(data)),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.title)} — ${escapeHtml(data.workspaceName)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.title)}</h1>
<p class="meta">${escapeHtml(data.workspaceName)} · generated ${escapeHtml(data.generatedAt.replace('T', ' ').slice(0, 16))} UTC · source ${escapeHtml(data.sourceDir)}</p>
<ul class="headline">${data.headline.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

function section(title: string, body: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function table(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  numeric: readonly number[] = [],
  lastIsTotal = false,
): string {
  if (rows.length === 0) return '<p class="empty">Nothing to show.</p>';
  const cell = (value: unknown, index: number, tag: 'td' | 'th') =>
    `<${tag}${numeric.includes(index) ? ' class="num"' : ''}${tag === 'th' ? ' scope="col"' : ''}>${escapeHtml(value)}</${tag}>`;
  return `<table><thead><tr>${headers.map((header, index) => cell(header, index, 'th')).join('')}</tr></thead><tbody>${rows
    .map(
      (row, i) =>
        `<tr${lastIsTotal && i === rows.length - 1 ? ' class="total"' : ''}>${row.map((value, index) => cell(value, index, 'td')).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

function recordsChart(data: ReportData): string {
  const rows = data.recordsByEntity.filter((row) => row.created + row.updated > 0);
  if (rows.length === 0) return '';
  const max = Math.max(1, ...rows.map((row) => row.created + row.updated));
  const height = rows.length * 28 + 10;
  const bars = rows
    .map((row, index) => {
      const width = Math.round(((row.created + row.updated) / max) * 420);
      const y = index * 28 + 5;
      return `<text x="0" y="${y + 15}" class="label">${escapeHtml(row.entity)}</text><rect x="110" y="${y}" width="${width}" height="20" fill="#2f7d4f"><title>${escapeHtml(`${row.entity}: ${row.created} created, ${row.updated} updated`)}</title></rect><text x="${116 + width}" y="${y + 15}" class="value">${row.created + row.updated}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="Records in Pipedrive per object" viewBox="0 0 600 ${height}" width="600" height="${height}">${bars}</svg>`;
}

function accountabilityTable(data: ReportData): string {
  const outcomes = ['migrated', 'updated', 'skipped', 'held', 'quarantined', 'failed', 'pending'] as const;
  const rows = data.accountability.map((file) => [
    file.file,
    file.object ?? 'not recognised',
    file.extracted,
    ...outcomes.map((outcome) => file.outcomes[outcome] ?? 0),
  ]);
  const totals = outcomes.map((outcome) =>
    data.accountability.reduce((sum, file) => sum + (file.outcomes[outcome] ?? 0), 0),
  );
  rows.push(['Total', '', data.accountability.reduce((sum, file) => sum + file.extracted, 0), ...totals]);
  const legend = outcomes
    .map(
      (outcome) =>
        `<span class="key"><i style="background:${OUTCOME_COLOURS[outcome]}"></i>${outcome}</span>`,
    )
    .join(' ');
  const bars = data.accountability
    .map((file) => {
      const total = Math.max(1, file.extracted);
      let x = 0;
      const parts = outcomes
        .map((outcome) => {
          const width = ((file.outcomes[outcome] ?? 0) / total) * 300;
          const part =
            width > 0
              ? `<rect x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="12" fill="${OUTCOME_COLOURS[outcome]}"/>`
              : '';
          x += width;
          return part;
        })
        .join('');
      return `<div class="bar"><span>${escapeHtml(file.file)}</span><svg role="img" aria-label="${escapeHtml(`Outcomes of ${file.file}`)}" viewBox="0 0 300 12" width="300" height="12">${parts}</svg></div>`;
    })
    .join('');
  const vanished = data.accountability.reduce((sum, file) => sum + file.vanishedSinceMigrated, 0);
  const vanishedNote =
    vanished > 0
      ? `<p>${vanished.toLocaleString('en-US')} row(s) Ferry migrated are no longer in the latest export; what was written for them stays in Pipedrive and is not counted above.</p>`
      : '';
  return `<h3>Every source row, accounted for</h3><p>${legend}</p>${bars}${vanishedNote}${table(
    ['File', 'Object', 'Rows', ...outcomes],
    rows,
    [2, 3, 4, 5, 6, 7, 8, 9],
    true,
  )}`;
}

function issuesTable(data: ReportData): string {
  return `<h3>Issues found before migrating</h3>${table(
    ['Kind', 'Severity', 'Count', 'Example', 'Rows'],
    data.issuesByKind.map((issue) => [
      issue.code.replace(/_/g, ' '),
      issue.severity,
      issue.count,
      issue.example ?? '',
      (issue.rows ?? []).join(', '),
    ]),
    [2],
  )}`;
}

function linksTable(data: ReportData): string {
  if (data.links.length === 0)
    return '<p>Not checked yet: run <code>ferry validate</code> and <code>ferry verify</code>.</p>';
  const share = (value: number | undefined) => (value === undefined ? '' : percent(value));
  return `<p>Per relationship: the rows of the export that name another record, the links the plan makes from them (ferry validate blocks below 99%), and the links Pipedrive holds as the rows say (ferry verify, over the records migrated).</p>${table(
    [
      'Relationship',
      'Rows with a reference',
      'Will be linked',
      'Share',
      'Checked in Pipedrive',
      'Linked as the rows say',
      'Share in Pipedrive',
      'Missing / wrong',
    ],
    data.links.map((row) => [
      row.relationship,
      row.withReference ?? '',
      row.willLink ?? '',
      row.withReference ? share(row.share) : '',
      row.inPipedrive?.checked ?? '',
      row.inPipedrive?.linked ?? '',
      row.inPipedrive && row.inPipedrive.checked > 0 ? share(row.inPipedrive.share) : '',
      row.inPipedrive ? `${row.inPipedrive.missing} / ${row.inPipedrive.wrong}` : '',
    ]),
    [1, 2, 3, 4, 5, 6],
  )}`;
}

function ownershipTable(data: ReportData): string {
  return `<h3>Who owns the records</h3>${table(
    ['Staff member', 'E-mail', 'Pipedrive user', 'Status', 'Records'],
    data.ownership.map((row) => [
      row.staff,
      row.email ?? '',
      row.pipedriveUser ?? 'held',
      row.standing ?? row.status,
      row.records,
    ]),
    [4],
  )}`;
}

function verificationBlock(data: ReportData): string {
  const v = data.verification;
  if (!v) return '<p>Not verified yet: run <code>ferry verify</code>.</p>';
  return `<p>Checked ${escapeHtml(v.checkedAt.replace('T', ' ').slice(0, 16))} UTC, using ${escapeHtml(v.tokens)} API tokens.</p>${table(
    ['Object', 'Expected', 'Found', 'Matching', 'Differing', 'Missing', 'Unexpected'],
    v.entities.map((e) => [e.entity, e.expected, e.found, e.matching, e.differing, e.missing, e.unexpected]),
    [1, 2, 3, 4, 5, 6],
  )}${
    v.sampleDiffs.length > 0
      ? `<h3>Differences</h3>${table(
          ['Object', 'Record', 'Field', 'Expected', 'In Pipedrive'],
          v.sampleDiffs.map((d) => [d.entity, d.record, d.field, d.expected, d.actual]),
        )}`
      : ''
  }${
    v.linkDifferences.length > 0
      ? `<h3>Links missing or wrong (${escapeHtml(v.linkDifferenceCount)})</h3>${table(
          ['Relationship', 'Record', 'Row', 'What is wrong'],
          v.linkDifferences.map((d) => [d.relationship, d.record, d.row, d.problem]),
        )}`
      : ''
  }${
    v.identityDifferences.length > 0
      ? `<h3>Rows whose record lacks its identity</h3><ul>${v.identityDifferences
          .map((text) => `<li>${escapeHtml(text)}</li>`)
          .join('')}</ul>`
      : ''
  }`;
}

/** Shown up to this many; the JSON report lists them all. */
const DOCUMENTS_SHOWN = 500;

function documentsNotAvailableBlock(data: ReportData): string {
  const { reason, documents } = data.documentsNotAvailable ?? { reason: null, documents: [] };
  const rows = documents
    .slice(0, DOCUMENTS_SHOWN)
    .map(
      (document) =>
        `<tr><td>${escapeHtml(document.table)}</td><td>${escapeHtml(document.record)}</td><td>${escapeHtml(document.name)}</td><td>${escapeHtml(document.path)}</td><td>${escapeHtml(document.reason)}</td></tr>`,
    )
    .join('');
  const more =
    documents.length > DOCUMENTS_SHOWN
      ? `<p>… and ${documents.length - DOCUMENTS_SHOWN} more (report.json lists them all).</p>`
      : '';
  return `<p>${escapeHtml(`${documents.length} document(s)${reason ? `: ${reason}` : ''}. They were not migrated; ask the firm for a document export to move them.`)}</p><table><thead><tr><th>table</th><th>record</th><th>file name</th><th>path</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}

function rebuildBlock(data: ReportData): string {
  if (data.rebuild.length === 0) return '<p>Nothing.</p>';
  return data.rebuild
    .map(
      (item) =>
        `<article class="rebuild"><h3>${escapeHtml(item.topic)} <small>(${escapeHtml(item.count)})</small></h3><p>${escapeHtml(
          item.why,
        )}</p><ol>${item.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')}</ol></article>`,
    )
    .join('');
}

function schemaTable(data: ReportData): string {
  return table(
    ['Kind', 'Name', 'On'],
    data.schemaCreated.map((item) => [item.kind, item.name, item.entity ?? '']),
  );
}

function timestampsTable(data: ReportData): string {
  return table(
    ['Object', 'Timestamp', 'Records', 'Kept instead in'],
    data.timestampsNotKept.map((row) => [row.entity, row.field, row.count, row.keptIn ?? 'not kept']),
    [2],
  );
}

function runsChart(data: ReportData): string {
  const runs = data.runs.filter((run) => run.finishedAt);
  if (runs.length === 0) return '';
  const start = Math.min(...runs.map((run) => Date.parse(run.startedAt)));
  const end = Math.max(...runs.map((run) => Date.parse(run.finishedAt!)));
  const span = Math.max(1, end - start);
  const height = runs.length * 24 + 10;
  const bars = runs
    .map((run, index) => {
      const x = 120 + ((Date.parse(run.startedAt) - start) / span) * 440;
      const width = Math.max(2, ((Date.parse(run.finishedAt!) - Date.parse(run.startedAt)) / span) * 440);
      return `<text x="0" y="${index * 24 + 19}" class="label">#${run.id} ${escapeHtml(run.kind)}</text><rect x="${x.toFixed(1)}" y="${index * 24 + 6}" width="${width.toFixed(1)}" height="16" fill="${run.status === 'completed' ? '#3b6ea8' : '#b83a3a'}"><title>${escapeHtml(`${run.kind} ${run.status}: ${run.startedAt} – ${run.finishedAt}`)}</title></rect>`;
    })
    .join('');
  return `<h3>Timeline</h3><svg role="img" aria-label="Timeline of the runs" viewBox="0 0 600 ${height}" width="600" height="${height}">${bars}</svg>`;
}

function tokensChart(data: ReportData): string {
  if (data.tokensPerDay.length === 0) return '';
  const max = Math.max(1, ...data.tokensPerDay.map((day) => day.tokens));
  const bars = data.tokensPerDay
    .map((day, index) => {
      const height = Math.round((day.tokens / max) * 100);
      const x = index * 60 + 10;
      return `<rect x="${x}" y="${110 - height}" width="40" height="${height}" fill="#6b5ca5"><title>${escapeHtml(`${day.day}: ${day.tokens} tokens, ${day.requests} requests`)}</title></rect><text x="${x}" y="126" class="label">${escapeHtml(day.day.slice(5))}</text>`;
    })
    .join('');
  const width = data.tokensPerDay.length * 60 + 20;
  return `<h3>API tokens per day</h3><svg role="img" aria-label="API tokens used per day" viewBox="0 0 ${width} 130" width="${width}" height="130">${bars}</svg>`;
}

function runsTable(data: ReportData): string {
  const minutes = Math.round(data.totals.durationMs / 60_000);
  return `<p>${escapeHtml(data.totals.requests.toLocaleString('en-US'))} requests, ${escapeHtml(
    data.totals.tokens.toLocaleString('en-US'),
  )} tokens, ${escapeHtml(minutes)} minute(s) of runs.</p>${table(
    ['Run', 'Kind', 'Status', 'Started', 'Finished', 'Created', 'Updated', 'Failed'],
    data.runs.map((run) => [
      run.id,
      run.kind,
      run.status,
      run.startedAt,
      run.finishedAt ?? '',
      run.created,
      run.updated,
      run.failed,
    ]),
    [5, 6, 7],
  )}`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c1917;background:#fff;margin:0 auto;max-width:1000px;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #e7e5e4;padding-bottom:4px;margin-top:32px}h3{font-size:16px;margin:20px 0 8px}
.meta{color:#57534e;margin:0 0 12px}.headline{font-size:17px;background:#f5f5f4;border-left:4px solid #2f7d4f;padding:12px 12px 12px 32px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}th,td{border-bottom:1px solid #e7e5e4;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#fafaf9}.num{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:600}
svg text.label{font-size:12px;fill:#1c1917}svg text.value{font-size:12px;fill:#57534e}.empty{color:#78716c}
.bar{display:flex;align-items:center;gap:8px;font-size:12px}.bar span{width:220px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.key{display:inline-flex;align-items:center;gap:4px;margin-right:10px;font-size:12px}.key i{display:inline-block;width:10px;height:10px}
.rebuild{border:1px solid #e7e5e4;border-radius:6px;padding:4px 12px;margin:8px 0}code{background:#f5f5f4;padding:0 3px}
@media print{body{max-width:none;padding:0;font-size:12px}section{break-inside:avoid-page}h2{break-after:avoid}.headline{border-color:#000}}
`;
