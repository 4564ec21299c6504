/**
 * Feeder rows (claim contacts and staff, ledger lines, status history): they roll into their claim's deal,
 * or become its status timeline note and ledger file, waiting in `ClaimFeeds` until the claim is planned.
 */
import type { Issue } from '../../core/issues.ts';
import type { BackdocketObject } from '../../core/objects.ts';
import { identityMarker, type PlannedRecord, type RowRef } from '../../core/records.ts';
import type { FileMapping } from '../../mapping/mapping-schema.ts';
import { parseTarget } from '../../mapping/model.ts';
import { applyTransform } from '../../mapping/transforms/index.ts';
import type { SourceRow } from '../../source/model.ts';
import type { FeedLink, FeedValue, HistoryEntry } from '../claim-feeds.ts';
import { DOCUMENTS_NOT_UPLOADED_FIELD } from '../target-schema.ts';
import { isPlainMoney, toV1Timestamp } from '../values.ts';
import { DEFAULT_UPLOAD_LIMIT, escapeText, link, type PlanContext } from './context.ts';
import type { RowPlan } from './planner.ts';

/** First pass: remember what a claim contact / staff / ledger / status row adds to its deal. */
export function addFeederRow(context: PlanContext, file: FileMapping, row: SourceRow): RowPlan {
  const issues: Issue[] = [];
  const claimKey = claimKeyOf(context, file, row);
  if (!claimKey) {
    return { kind: 'none', outcome: 'quarantined', reason: 'no claim id to attach it to', issues };
  }
  const ref = { file: row.file, sourceKey: row.sourceKey };
  if (file.object === 'status_history') {
    context.feeds.add(claimKey, {
      kind: 'history',
      row: ref,
      entry: historyEntry(context, file, row, issues),
    });
    return { kind: 'folded', into: `status_history:${claimKey}`, issues };
  }
  const ledgerLine = file.object === 'billing_entry';
  if (ledgerLine)
    context.feeds.add(claimKey, { kind: 'ledger', row: ref, line: row.line, values: row.values });
  const primary = isPrimaryRow(file, row);
  const links: FeedLink[] = [];
  const owners: { ref: string; primary: boolean }[] = [];
  const values: FeedValue[] = [];
  for (const field of file.fields) {
    const target = field.target ? parseTarget(field.target) : undefined;
    if (target?.entity !== 'deal') continue;
    const raw = row.values[field.column] ?? '';
    if (target.kind === 'standard' && target.field === 'owner_id') {
      if (raw.trim()) owners.push({ ref: raw.trim(), primary });
      continue;
    }
    if (target.kind === 'standard' && (target.field === 'person_id' || target.field === 'org_id')) {
      const person = target.field === 'person_id';
      if (raw.trim()) {
        links.push({
          field: target.field,
          entity: person ? 'person' : 'organization',
          identity: context.identityOf(person ? 'contact' : 'company', raw.trim()),
          primary,
        });
      }
      continue;
    }
    if (target.kind !== 'custom') continue;
    const result = applyTransform(raw, field.transform, context.transforms);
    if (!result.ok) {
      issues.push(context.issue(result.issue, row, field));
      continue;
    }
    if (result.value === null) continue;
    const rollup = field.transform?.rollup ?? (isPlainMoney(result.value) ? 'sum' : 'list');
    values.push({ key: `custom:${target.name}`, rollup, value: result.value });
  }
  // A ledger line belongs to its claim's ledger file, not to the deal: it shares only its values.
  if (!ledgerLine || links.length > 0 || owners.length > 0 || values.length > 0) {
    context.feeds.add(claimKey, {
      kind: 'deal',
      ...(ledgerLine ? {} : { row: ref }),
      ...(links.length > 0 ? { links } : {}),
      ...(owners.length > 0 ? { owners } : {}),
      ...(values.length > 0 ? { values } : {}),
    });
  }
  return { kind: 'folded', into: `claim:${claimKey}`, issues };
}

/**
 * First pass over documents: a file over the upload limit is not uploaded; its name and storage path go
 * to its deal's "Documents Not Uploaded" field instead, so the deal links to it.
 */
export function addOversizeDocument(context: PlanContext, file: FileMapping, row: SourceRow): void {
  const storageField = file.fields.find((field) => field.target === 'file.file');
  const claimField = file.fields.find((field) => field.target === 'file.deal_id');
  const storage = storageField ? (row.values[storageField.column] ?? '').trim() : '';
  const claimKey = context.keyOf('claim', claimField ? (row.values[claimField.column] ?? '').trim() : '');
  const located = storage ? context.options.documentFile?.(storage) : undefined;
  if (!located || !claimKey || located.size <= (context.options.maxUploadBytes ?? DEFAULT_UPLOAD_LIMIT))
    return;
  context.feeds.add(claimKey, {
    kind: 'deal',
    values: [
      {
        key: `custom:${DOCUMENTS_NOT_UPLOADED_FIELD}`,
        rollup: 'list',
        value: `${storage} (${located.size} bytes)`,
      },
    ],
  });
}

/** Claim-contact and claim-staff rows folded into a claim's deal (they share its outcome). */
export function foldedRows(context: PlanContext, claimKey: string): RowRef[] {
  return context.feeds.items(claimKey, 'deal').flatMap((item) => (item.row ? [item.row] : []));
}

/** Folded rows whose claim was never planned: they point at a claim the export does not have. */
export function* orphanFeeds(context: PlanContext): Generator<{ claimKey: string; rows: readonly RowRef[] }> {
  for (const claimKey of context.feeds.claims('deal')) {
    if (context.plannedClaims.has(claimKey)) continue;
    const rows = foldedRows(context, claimKey);
    if (rows.length > 0) yield { claimKey, rows };
  }
}

/**
 * Status history and ledger rows of claims held until their owner is resolved: they make no record yet
 * and wait with their claim (`held`, with the reason). Ask after every claim was planned.
 */
export function* heldFeeds(context: PlanContext): Generator<{ rows: readonly RowRef[]; reason: string }> {
  for (const [identity, reason] of context.heldDeals) {
    const claimKey = identity.slice('claim:'.length);
    const rows = [
      ...context.feeds.items(claimKey, 'history'),
      ...context.feeds.items(claimKey, 'ledger'),
    ].map((item) => item.row);
    if (rows.length > 0) yield { rows, reason: `its claim ${claimKey} is held: ${reason}` };
  }
}

/** Records made from feeder rows: one status timeline note per claim, built as they are read. */
export function* statusNotes(context: PlanContext): Generator<PlannedRecord> {
  for (const claimKey of context.feeds.claims('history')) {
    if (context.heldDeals.has(`claim:${claimKey}`)) continue;
    const history = context.feeds.items(claimKey, 'history');
    const entries = history
      .map((item) => item.entry)
      .sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.line - b.line);
    const lines = entries.map((entry) => {
      const when = entry.at ? entry.at.replace('T', ' ').replace('Z', ' UTC') : 'date unknown';
      const change = entry.from ? `${entry.from} → ${entry.to}` : `→ ${entry.to}`;
      const by = entry.by ? ` (${escapeText(entry.by)})` : '';
      const comment = entry.comment ? ` — ${escapeText(entry.comment)}` : '';
      return `<li>${escapeText(when)}: ${escapeText(change)}${by}${comment}</li>`;
    });
    const identity = `status_history:${claimKey}`;
    const payload: Record<string, unknown> = {
      content: `<p><b>BackDocket status history</b></p><ul>${lines.join('')}</ul><p>${identityMarker(identity)}</p>`,
      pinned_to_deal_flag: 0,
    };
    const first = entries.find((entry) => entry.at);
    if (first?.at) payload.add_time = toV1Timestamp(first.at);
    yield context.record(
      'note',
      identity,
      payload,
      [link('deal_id', 'deal', `claim:${claimKey}`, true)],
      history.map((item) => item.row),
    );
  }
}

/** The ledger lines of each claim, for attaching as a CSV file to its deal, one claim at a time. */
export function* ledgers(context: PlanContext): Generator<{
  claimKey: string;
  rows: RowRef[];
  lines: { line: number; values: Readonly<Record<string, string>> }[];
}> {
  for (const claimKey of context.feeds.claims('ledger')) {
    if (context.heldDeals.has(`claim:${claimKey}`)) continue;
    const ledger = context.feeds.items(claimKey, 'ledger');
    yield { claimKey, rows: ledger.map((item) => item.row), lines: ledger };
  }
}

/** A ledger CSV file record for a claim, once the CSV has been written to `path`. */
export function ledgerRecord(
  context: PlanContext,
  claimKey: string,
  rows: readonly RowRef[],
  file: { path: string; size: number },
): PlannedRecord {
  const identity = `ledger:${claimKey}`;
  return context.record('file', identity, {}, [link('deal_id', 'deal', `claim:${claimKey}`, true)], rows, {
    path: file.path,
    fileName: `BackDocket ledger ${claimKey}.csv`,
    size: file.size,
  });
}

// ---- per-object builders -------------------------------------------------------------------------

export function historyEntry(
  context: PlanContext,
  file: FileMapping,
  row: SourceRow,
  issues: Issue[],
): HistoryEntry {
  const entry = { at: null as string | null, from: '', to: '', by: '', comment: '', line: row.line };
  for (const field of file.fields) {
    const raw = (row.values[field.column] ?? '').trim();
    if (!field.target || !raw) continue;
    if (field.target === 'note.add_time') {
      const result = applyTransform(raw, field.transform ?? { kind: 'datetime' }, context.transforms);
      if (result.ok && typeof result.value === 'string') entry.at = result.value;
      else if (!result.ok) issues.push(context.issue(result.issue, row, field));
    } else if (field.target === 'note.user_id') entry.by = raw;
    else if (field.target === 'note.content') {
      const part = field.transform?.part;
      if (part === 'from') entry.from = raw;
      else if (part === 'to') entry.to = raw;
      else entry.comment = raw;
    }
  }
  return entry;
}

export function claimKeyOf(context: PlanContext, file: FileMapping, row: SourceRow): string | undefined {
  const claimField = file.fields.find(
    (field) => field.target === 'deal.ref:claim' || field.target === 'note.deal_id',
  );
  const value = claimField ? row.values[claimField.column]?.trim() : undefined;
  return value ? context.keyOf('claim', value) : undefined;
}

/** Files that feed their claim's deal instead of becoming records of their own. */
export const FEEDER_OBJECTS: ReadonlySet<BackdocketObject> = new Set([
  'claim_contact',
  'claim_staff',
  'billing_entry',
  'status_history',
]);

function isPrimaryRow(file: FileMapping, row: SourceRow): boolean {
  const column = file.fields.find(
    (field) => field.target === null && /\b(primary|lead|principal)\b/i.test(field.column),
  )?.column;
  const value = column ? (row.values[column] ?? '').trim().toLowerCase() : '';
  return ['y', 'yes', 'true', '1', 'x'].includes(value);
}
