import { examplesOf, type Issue, MAX_EXAMPLES } from '../../../core/issues.ts';
import type { SourceRow } from '../../model.ts';
import { conceptsOf, findColumn, findColumns, headerPrefix } from '../headers.ts';
import { foldName, foldStatus, isInactiveFlag, parseAmount, phoneDigits, sortableDate } from './normalize.ts';
import { type QualityFile, type QualityInput, ROWS_PER_CHECK } from './quality-input.ts';

const cap = () => {
  const counts = new Map<string, number>();
  return (key: string) => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n <= ROWS_PER_CHECK;
  };
};

function headersOf(qf: QualityFile): string[] {
  return qf.stats.map((s) => s.name);
}

function filesOf(input: QualityInput, object: string): QualityFile[] {
  return input.files.filter((f) => f.extracted.detection.object === object);
}

/**
 * Contacts without an e-mail (a phone only: `missing_email`), contacts with no e-mail and no usable phone
 * (`missing_contact_info`), and likely duplicate contacts. The two groups do not overlap: a contact with
 * nothing at all is listed once, under `missing_contact_info`.
 */
export function checkContacts(input: QualityInput): Issue[] {
  const issues: Issue[] = [];
  for (const qf of filesOf(input, 'contact')) {
    const file = qf.extracted.file;
    const headers = headersOf(qf).filter((h) => headerPrefix(h) === null);
    const emails = findColumns(headers, 'email');
    const phones = findColumns(headers, 'phone');
    const first = findColumn(headers, 'first_name');
    const last = findColumn(headers, 'last_name');
    const full = findColumn(headers, 'full_name');
    const allow = cap();
    // Only the key and line of the first row per e-mail / name+phone: rows themselves are not kept.
    type Seen = Pick<SourceRow, 'sourceKey' | 'line'>;
    const byEmail = new Map<string, Seen>();
    const byNamePhone = new Map<string, Seen>();
    let missing = 0;
    let duplicates = 0;
    const withoutEmail: Pick<SourceRow, 'sourceKey' | 'line'>[] = [];
    let withoutEmailCount = 0;
    for (const row of input.rows(file, [...emails, ...phones, first, last, full])) {
      const emailValues = emails.map((c) => (row.values[c] ?? '').trim()).filter((v) => v.includes('@'));
      const phoneValues = phones.map((c) => phoneDigits(row.values[c] ?? '')).filter((d) => d.length > 0);
      const usablePhone = phoneValues.some((d) => d.length >= 10);
      if (emailValues.length === 0 && !usablePhone && (emails.length > 0 || phones.length > 0)) {
        missing += 1;
        if (allow('missing')) {
          const partial = phoneValues.length > 0 ? ' (only an incomplete phone number)' : '';
          issues.push({
            code: 'missing_contact_info',
            severity: 'warning',
            file,
            line: row.line,
            sourceKey: row.sourceKey,
            message: `${file}:${row.line}: contact ${row.sourceKey} has no e-mail and no usable phone${partial}.`,
            fix: 'Allowed; the person is created without them. Deduplication falls back to the name.',
          });
        }
      } else if (emailValues.length === 0 && usablePhone) {
        withoutEmailCount += 1;
        if (withoutEmail.length < MAX_EXAMPLES)
          withoutEmail.push({ sourceKey: row.sourceKey, line: row.line });
        if (allow('no-email'))
          issues.push({
            code: 'missing_email',
            severity: 'warning',
            file,
            line: row.line,
            sourceKey: row.sourceKey,
            field: emails[0],
            message: `${file}:${row.line}: contact ${row.sourceKey} has no e-mail (a phone number only).`,
            fix: MISSING_EMAIL_FIX,
          });
      }
      const name = foldName(
        full && !(first && last)
          ? (row.values[full] ?? '')
          : `${row.values[first ?? ''] ?? ''} ${row.values[last ?? ''] ?? ''}`,
      );
      const keys: [Map<string, Seen>, string, string][] = [];
      for (const email of emailValues)
        keys.push([byEmail, email.toLowerCase(), `the same e-mail (${email.toLowerCase()})`]);
      if (name !== '')
        for (const digits of phoneValues)
          if (digits.length >= 7) keys.push([byNamePhone, `${name}|${digits}`, 'the same name and phone']);
      let reported = false;
      for (const [map, key, why] of keys) {
        const earlier = map.get(key);
        if (earlier && earlier.sourceKey !== row.sourceKey) {
          if (!reported) {
            duplicates += 1;
            if (allow('duplicate'))
              issues.push({
                code: 'duplicate_contact',
                severity: 'warning',
                file,
                line: row.line,
                sourceKey: row.sourceKey,
                message: `${file}:${row.line}: contact ${row.sourceKey} looks like a duplicate of ${earlier.sourceKey} (line ${earlier.line}): ${why}.`,
                fix: 'Nothing merges on its own: after ferry map propose, accept the merge on the Validation page of ferry ui or with ferry map confirm --accept-merges, or leave the contacts apart.',
              });
          }
          reported = true;
        } else if (!earlier) map.set(key, { sourceKey: row.sourceKey, line: row.line });
      }
    }
    if (withoutEmailCount > 0)
      issues.push({
        code: 'missing_email',
        severity: 'warning',
        file,
        field: emails[0],
        message: `${file}: ${withoutEmailCount} contact(s) have a phone number but no e-mail (ids ${withoutEmail
          .map((row) => row.sourceKey)
          .join(', ')}${withoutEmailCount > withoutEmail.length ? ', …' : ''})${
          emails.length === 0 ? ': the file has no e-mail column' : ''
        }${withoutEmailCount > ROWS_PER_CHECK ? ` (first ${ROWS_PER_CHECK} listed)` : ''}.`,
        examples: examplesOf(file, withoutEmail),
        fix: MISSING_EMAIL_FIX,
      });
    if (missing > ROWS_PER_CHECK)
      issues.push({
        code: 'missing_contact_info',
        severity: 'warning',
        file,
        message: `${file}: ${missing} contacts have no e-mail and no usable phone (first ${ROWS_PER_CHECK} listed).`,
      });
    if (duplicates > ROWS_PER_CHECK)
      issues.push({
        code: 'duplicate_contact',
        severity: 'warning',
        file,
        message: `${file}: ${duplicates} likely duplicate contacts (first ${ROWS_PER_CHECK} listed).`,
      });
  }
  return issues;
}

const MISSING_EMAIL_FIX =
  'Allowed; the person is created without an e-mail (Pipedrive cannot e-mail them, and duplicates are then found by name and phone only). Add the e-mail in BackDocket and export again if they need one.';

/** Whether a column's name says it holds staff (owner, assignee, author…): `checkInactiveStaff` reads those. */
export function namesStaff(columnName: string): boolean {
  return (
    conceptsOf(columnName).some((c) => c === 'staff_id' || c === 'lead_attorney' || c === 'assigned_to') ||
    /\b(by|staff|attorney|owner|manager|paralegal|specialist|approver|assigned|attendees)\b/i.test(columnName)
  );
}

/** Inactive staff (Active = No) still named or referenced as owner/assignee by other rows. */
export function checkInactiveStaff(input: QualityInput): Issue[] {
  const issues: Issue[] = [];
  const identities = new Map<string, string>();
  const inactive = new Map<string, string>();
  for (const qf of filesOf(input, 'staff')) {
    const headers = headersOf(qf);
    const active = findColumn(headers, 'active');
    const emails = findColumns(headers, 'email');
    const first = findColumn(headers, 'first_name');
    const last = findColumn(headers, 'last_name');
    const fulls = findColumns(headers, 'full_name');
    for (const row of input.rows(qf.extracted.file, [active, ...emails, first, last, ...fulls])) {
      const label =
        (fulls[0] ? row.values[fulls[0]] : undefined) ||
        `${row.values[first ?? ''] ?? ''} ${row.values[last ?? ''] ?? ''}`.trim() ||
        row.sourceKey;
      const ids = [row.sourceKey, ...emails.map((c) => (row.values[c] ?? '').trim().toLowerCase())];
      const names = [
        ...fulls.map((c) => row.values[c] ?? ''),
        `${row.values[first ?? ''] ?? ''} ${row.values[last ?? ''] ?? ''}`,
      ].map(foldName);
      const isInactive = active !== undefined && isInactiveFlag(row.values[active] ?? '');
      for (const id of [...ids, ...names]) {
        if (id === '') continue;
        identities.set(id, label);
        if (isInactive) inactive.set(id, label);
      }
    }
  }
  if (identities.size === 0) return issues;
  // Staff columns repeat a few values over many rows, and folding a name is dear: answer each value once.
  const matched = new Map<string, string | undefined>();
  const match = (value: string): string | undefined => {
    if (matched.has(value)) return matched.get(value);
    const id = matchUncached(value);
    matched.set(value, id);
    return id;
  };
  const matchUncached = (value: string): string | undefined => {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    return identities.has(trimmed)
      ? trimmed
      : identities.has(trimmed.toLowerCase())
        ? trimmed.toLowerCase()
        : identities.has(foldName(trimmed))
          ? foldName(trimmed)
          : undefined;
  };
  for (const qf of input.files) {
    if (qf.extracted.detection.object === 'staff') continue;
    const file = qf.extracted.file;
    const columns = qf.stats.filter((stats) => {
      if (
        stats.distinctCapped ||
        stats.distinct.size === 0 ||
        stats.maxLength > 80 ||
        stats.name === qf.extracted.keyColumn
      )
        return false;
      if (!namesStaff(stats.name)) return false;
      let known = 0;
      let bad = 0;
      let unknown = 0;
      for (const v of stats.distinct) {
        if (typeof v !== 'string') continue;
        const id = match(v);
        if (id !== undefined) {
          known += 1;
          if (inactive.has(id)) bad += 1;
        } else if (!/[;|]/.test(v)) unknown += 1;
      }
      const byName = stats.shareOf('id') + stats.shareOf('integer') < 0.5;
      return (
        (bad > 0 && known >= stats.distinct.size * 0.5) ||
        (byName && unknown > 0 && known >= stats.distinct.size * 0.8)
      );
    });
    if (columns.length === 0) continue;
    const allow = cap();
    const totals = new Map<string, number>();
    for (const row of input.rows(
      file,
      columns.map((s) => s.name),
    )) {
      for (const stats of columns) {
        const value = row.values[stats.name] ?? '';
        const id = match(value);
        if (id === undefined) {
          // A staff name that is not in the staff file: deleted or renamed staff.
          if (value.trim() === '' || /[;|]/.test(value) || !allow(`orphan\u0000${stats.name}`)) continue;
          issues.push({
            code: 'orphan_reference',
            severity: 'warning',
            file,
            line: row.line,
            sourceKey: row.sourceKey,
            field: stats.name,
            message: `${file}:${row.line} [${stats.name}]: "${value.trim()}" is not a staff member in the staff file.`,
            fix: 'Map the name to a user in the owner table, or keep it in a text field.',
          });
          continue;
        }
        if (!inactive.has(id)) continue;
        const who = inactive.get(id) as string;
        totals.set(`${stats.name}\u0000${who}`, (totals.get(`${stats.name}\u0000${who}`) ?? 0) + 1);
        if (allow(stats.name))
          issues.push({
            code: 'inactive_staff_owner',
            severity: 'warning',
            file,
            line: row.line,
            sourceKey: row.sourceKey,
            field: stats.name,
            message: `${file}:${row.line} [${stats.name}]: ${who} is inactive staff.`,
            fix: 'Map inactive staff to a replacement owner; the original name is kept in a field.',
          });
      }
    }
    for (const [key, n] of totals) {
      const [column, who] = key.split('\u0000');
      issues.push({
        code: 'inactive_staff_owner',
        severity: 'warning',
        file,
        field: column,
        message: `${file} [${column}]: ${who} (inactive) is named on ${n} row(s).`,
      });
    }
  }
  return issues;
}

/** Status columns whose values are equal after normalising but spelled differently. */
export function checkStatusDrift(input: QualityInput): Issue[] {
  const issues: Issue[] = [];
  for (const qf of input.files) {
    const columns = qf.stats.filter(
      (s) =>
        conceptsOf(s.name).some(
          (c) =>
            c === 'status' ||
            c === 'to_status' ||
            c === 'from_status' ||
            c === 'outcome' ||
            c === 'approval_status',
        ) &&
        !s.distinctCapped &&
        s.distinct.size <= 500,
    );
    const drifting: { column: string; canonical: Map<string, string> }[] = [];
    for (const stats of columns) {
      const groups = new Map<string, string[]>();
      for (const v of stats.distinct) {
        if (typeof v !== 'string') continue;
        const key = foldStatus(v);
        groups.set(key, [...(groups.get(key) ?? []), v]);
      }
      const canonical = new Map<string, string>();
      for (const spellings of groups.values())
        if (spellings.length > 1) for (const s of spellings) canonical.set(s, spellings.join(' | '));
      if (canonical.size > 0) drifting.push({ column: stats.name, canonical });
    }
    if (drifting.length === 0) continue;
    const file = qf.extracted.file;
    // Count spellings, then flag rows that do not use the most common spelling of their group.
    const counts = new Map<string, number>();
    const rows: { row: Pick<SourceRow, 'line' | 'sourceKey'>; column: string; value: string }[] = [];
    for (const row of input.rows(
      file,
      drifting.map((d) => d.column),
    )) {
      for (const { column, canonical } of drifting) {
        const value = row.values[column] ?? '';
        if (!canonical.has(value)) continue;
        counts.set(`${column}\u0000${value}`, (counts.get(`${column}\u0000${value}`) ?? 0) + 1);
        if (rows.length < 200_000)
          rows.push({ row: { line: row.line, sourceKey: row.sourceKey }, column, value });
      }
    }
    const preferred = new Map<string, string>();
    for (const { column, canonical } of drifting) {
      const groups = new Map<string, string[]>();
      for (const [spelling, group] of canonical) groups.set(group, [...(groups.get(group) ?? []), spelling]);
      for (const [group, spellings] of groups) {
        const best = spellings.sort(
          (a, b) => (counts.get(`${column}\u0000${b}`) ?? 0) - (counts.get(`${column}\u0000${a}`) ?? 0),
        )[0] as string;
        preferred.set(`${column}\u0000${group}`, best);
        issues.push({
          code: 'status_spelling_drift',
          severity: 'warning',
          file,
          field: column,
          message: `${file} [${column}]: one status spelled ${spellings.length} ways: ${spellings.map((s) => `"${s}" ×${counts.get(`${column}\u0000${s}`) ?? 0}`).join(', ')}.`,
          fix: 'The stage map matches them after normalising; confirm they are the same status.',
        });
      }
    }
    const allow = cap();
    for (const { row, column, value } of rows) {
      const group = drifting.find((d) => d.column === column)?.canonical.get(value) as string;
      if (preferred.get(`${column}\u0000${group}`) === value) continue;
      if (allow(column))
        issues.push({
          code: 'status_spelling_drift',
          severity: 'info',
          file,
          line: row.line,
          sourceKey: row.sourceKey,
          field: column,
          message: `${file}:${row.line} [${column}]: "${value}" is a variant spelling of "${preferred.get(`${column}\u0000${group}`)}".`,
        });
    }
  }
  return issues;
}

/** Claims whose current status is not where their status history ends. */
export function checkStatusHistory(input: QualityInput): Issue[] {
  const issues: Issue[] = [];
  const last = new Map<
    string,
    { status: string; at: number; line: number; file: string; sourceKey: string }
  >();
  let historyFiles = 0;
  for (const qf of filesOf(input, 'status_history')) {
    const headers = headersOf(qf);
    const claim = findColumn(headers, 'claim_id');
    const to = findColumn(headers, 'to_status');
    const when = findColumn(headers, 'changed_on');
    if (!claim || !to) continue;
    historyFiles += 1;
    for (const row of input.rows(qf.extracted.file, [claim, to, when])) {
      const id = (row.values[claim] ?? '').trim();
      if (id === '') continue;
      const at = when ? sortableDate(row.values[when] ?? '') : Number.NaN;
      const prev = last.get(id);
      const later =
        !prev ||
        (Number.isNaN(at) || Number.isNaN(prev.at)
          ? row.line > prev.line
          : at > prev.at || (at === prev.at && row.line > prev.line));
      if (later) {
        last.set(id, {
          status: row.values[to] ?? '',
          at,
          line: row.line,
          file: qf.extracted.file,
          sourceKey: row.sourceKey,
        });
      }
    }
  }
  if (historyFiles === 0) return issues;
  for (const qf of filesOf(input, 'claim')) {
    const status = findColumn(headersOf(qf), 'status');
    if (!status) continue;
    const file = qf.extracted.file;
    const allow = cap();
    let gaps = 0;
    for (const row of input.rows(file, [status])) {
      const current = row.values[status] ?? '';
      if (current.trim() === '') continue;
      const end = last.get(row.sourceKey);
      if (end && foldStatus(end.status) === foldStatus(current)) continue;
      gaps += 1;
      if (!allow('gap')) continue;
      // Pointed at the history's last row (where the missing step belongs); a claim without any
      // history at all is pointed at its own row.
      issues.push(
        end
          ? {
              code: 'status_history_gap',
              severity: 'warning',
              file: end.file,
              line: end.line,
              sourceKey: end.sourceKey,
              message: `${end.file}:${end.line}: the status history of claim ${row.sourceKey} ends at "${end.status}", but ${file}:${row.line} says "${current.trim()}".`,
              fix: 'An "unknown → current" step is added to the timeline note.',
            }
          : {
              code: 'status_history_gap',
              severity: 'info',
              file,
              line: row.line,
              sourceKey: row.sourceKey,
              field: status,
              message: `${file}:${row.line}: claim ${row.sourceKey} is "${current.trim()}" but has no status history.`,
              fix: 'An "unknown → current" step is added to the timeline note.',
            },
      );
    }
    if (gaps > ROWS_PER_CHECK)
      issues.push({
        code: 'status_history_gap',
        severity: 'warning',
        file,
        message: `${file}: ${gaps} claims whose status history does not end at their current status (first ${ROWS_PER_CHECK} listed).`,
      });
  }
  return issues;
}

/** Net to Client ≠ Settlement − Fee − Costs − Liens (any file with those columns: claims, settlements). */
export function checkMoneyAddsUp(input: QualityInput): Issue[] {
  const issues: Issue[] = [];
  for (const qf of input.files) {
    const headers = headersOf(qf).filter((h) => headerPrefix(h) === null);
    const gross = findColumn(headers, 'settlement');
    const net = findColumn(headers, 'net_to_client');
    const fee = findColumn(headers, 'attorney_fee');
    if (!gross || !net || !fee || gross === net) continue;
    const costs = findColumn(headers, 'case_costs');
    const liens = findColumn(headers, 'liens');
    const file = qf.extracted.file;
    const allow = cap();
    for (const row of input.rows(file, [gross, net, fee, costs, liens])) {
      const g = parseAmount(row.values[gross] ?? '');
      const n = parseAmount(row.values[net] ?? '');
      if (Number.isNaN(g) || Number.isNaN(n)) continue;
      const part = (column: string | undefined) => {
        const v = column ? parseAmount(row.values[column] ?? '') : 0;
        return Number.isNaN(v) ? 0 : Math.abs(v);
      };
      const expected = g - part(fee) - part(costs) - part(liens);
      if (Math.abs(expected - n) <= 0.011) continue;
      if (allow('money'))
        issues.push({
          code: 'money_does_not_add_up',
          severity: 'warning',
          file,
          line: row.line,
          sourceKey: row.sourceKey,
          field: net,
          message: `${file}:${row.line}: ${net} is ${n.toFixed(2)} but ${gross} − ${fee}${costs ? ` − ${costs}` : ''}${liens ? ` − ${liens}` : ''} is ${expected.toFixed(2)}.`,
          fix: 'Business-rule warning: Ferry migrates the values as they are, it never "fixes" them.',
        });
    }
  }
  return issues;
}
