import { examplesOf, type Issue } from '../core/issues.ts';
import type { MappingEdit } from '../mapping/mapping-file.ts';
import type { FileMapping, Mapping } from '../mapping/mapping-schema.ts';
import { normaliseValueKey } from '../mapping/transforms/index.ts';
import type { SourceRow } from '../source/model.ts';

export type DuplicatePolicy = 'email' | 'name_phone' | 'none';

/** A contact that looks like an earlier one: a merge Ferry proposes, which happens only once accepted. */
export interface ContactMergeProposal {
  /** The duplicate contact's key and line: it would not become a person of its own. */
  readonly duplicate: string;
  readonly duplicateLine: number;
  /** The contact it would merge into (the first seen). */
  readonly into: string;
  readonly intoLine: number;
  readonly file: string;
  /** Why: `the same e-mail (a@b.com)` or `the same name and phone`. */
  readonly why: string;
  /** Accepted by a person (`duplicates.accepted`) or by the policy `duplicates.merge: all`. */
  readonly accepted: boolean;
}

/** The merges that happen (duplicate key → the contact it merges into), and every proposal with its state. */
export interface ContactMerges {
  readonly merges: ReadonlyMap<string, string>;
  readonly proposals: readonly ContactMergeProposal[];
  /** `duplicates.accepted` entries naming a contact the export does not have (left out). */
  readonly unknown: readonly string[];
}

/**
 * Duplicate contacts as proposals, and the merges a person accepted: `duplicates.contacts` says how they
 * are found (by e-mail or by name + phone), `duplicates.accepted` lists the merges accepted one by one
 * (`ferry map confirm --accept-merges`, the UI's Validation page, or by hand, including pairs the rule
 * did not find), and `duplicates.merge: all` accepts every proposal as a policy. Nothing merges silently.
 * Pure: one pass over the contact rows.
 * @example readContactMerges({ file, rows, duplicates: { contacts: 'email', accepted: { '502': '501' } } }).merges.get('502') // '501'
 */
export function readContactMerges(input: {
  file: FileMapping;
  rows: Iterable<SourceRow>;
  duplicates: Mapping['duplicates'];
}): ContactMerges {
  const { duplicates } = input;
  const accepted = duplicates.accepted ?? {};
  const acceptAll = duplicates.merge === 'all';
  const found = findDuplicateContacts(input.file, input.rows, duplicates.contacts);
  const merges = new Map<string, string>();
  const proposals = found.proposals.map((proposal) => {
    const isAccepted = acceptAll || accepted[proposal.duplicate] === proposal.into;
    if (isAccepted) merges.set(proposal.duplicate, proposal.into);
    return { ...proposal, accepted: isAccepted };
  });
  const unknown: string[] = [];
  for (const [duplicate, into] of Object.entries(accepted)) {
    if (!found.keys.has(duplicate) || !found.keys.has(into) || duplicate === into) {
      unknown.push(duplicate);
      continue;
    }
    // A merge a person added by hand: accepted as written, merged into the end of any chain.
    if (!merges.has(duplicate)) merges.set(duplicate, into);
  }
  return { merges: collapseChains(merges), proposals, unknown };
}

/**
 * Contacts that duplicate an earlier contact under the rule: by e-mail (any of the person's e-mail
 * columns, case-insensitive) or by name + phone (accents, case and punctuation ignored; phone digits).
 * Proposals only: `readContactMerges` decides which are accepted. Pure.
 */
export function findDuplicateContacts(
  file: FileMapping,
  rows: Iterable<SourceRow>,
  policy: DuplicatePolicy,
): { proposals: Omit<ContactMergeProposal, 'accepted'>[]; keys: ReadonlySet<string> } {
  const proposals: Omit<ContactMergeProposal, 'accepted'>[] = [];
  const keys = new Set<string>();
  const columns = (target: string) =>
    file.fields.filter((field) => field.target === target).map((field) => field.column);
  const emailColumns = columns('person.emails');
  const phoneColumns = columns('person.phones');
  const nameColumns = [
    ...columns('person.name'),
    ...columns('person.first_name'),
    ...columns('person.last_name'),
  ];
  const firstSeen = new Map<string, { key: string; line: number }>();
  for (const row of rows) {
    keys.add(row.sourceKey);
    if (policy === 'none') continue;
    const signs: { sign: string; why: string }[] = [];
    if (policy === 'email') {
      for (const column of emailColumns) {
        const email = (row.values[column] ?? '').trim().toLowerCase();
        if (email.includes('@')) signs.push({ sign: `e:${email}`, why: `the same e-mail (${email})` });
      }
    } else {
      const name = normaliseValueKey(
        nameColumns
          .map((column) => row.values[column] ?? '')
          .join(' ')
          .normalize('NFD')
          .replace(/\p{Diacritic}/gu, ''),
      )
        .split(' ')
        .sort()
        .join(' ');
      for (const column of phoneColumns) {
        const digits = (row.values[column] ?? '').replace(/\D/g, '').slice(-10);
        if (name && digits.length >= 7)
          signs.push({ sign: `n:${name}|${digits}`, why: 'the same name and phone' });
      }
    }
    const match = signs
      .map((candidate) => ({ first: firstSeen.get(candidate.sign), why: candidate.why }))
      .find((candidate) => candidate.first !== undefined);
    if (match?.first && match.first.key !== row.sourceKey) {
      proposals.push({
        duplicate: row.sourceKey,
        duplicateLine: row.line,
        into: match.first.key,
        intoLine: match.first.line,
        file: row.file,
        why: match.why,
      });
      continue;
    }
    for (const { sign } of signs)
      if (!firstSeen.has(sign)) firstSeen.set(sign, { key: row.sourceKey, line: row.line });
  }
  return { proposals, keys };
}

/**
 * mapping.yaml edits that accept merges: `duplicates.accepted.<duplicate>: <into>`, with the reason as a
 * comment.
 * @example contactMergeEdits(proposals) // [{ path: ['duplicates', 'accepted', '502'], value: '501', comment: 'the same e-mail (…)' }]
 */
export function contactMergeEdits(proposals: readonly ContactMergeProposal[]): MappingEdit[] {
  return proposals.map((proposal) => ({
    path: ['duplicates', 'accepted', proposal.duplicate],
    value: proposal.into,
    comment: proposal.why,
  }));
}

/**
 * Edits that make `duplicates.accepted` say exactly which proposals are merged: the chosen ones are added,
 * proposals not chosen are removed; entries a person added by hand for other contacts stay.
 */
export function chosenMergeEdits(
  proposals: readonly ContactMergeProposal[],
  chosen: ReadonlySet<string>,
  current: Readonly<Record<string, string>>,
): MappingEdit[] {
  const edits: MappingEdit[] = [];
  const remaining = new Set(Object.keys(current));
  for (const proposal of proposals) {
    const wanted = chosen.has(proposal.duplicate);
    const has = current[proposal.duplicate] === proposal.into;
    if (wanted && !has) edits.push(...contactMergeEdits([proposal]));
    if (wanted) remaining.add(proposal.duplicate);
    if (!wanted && current[proposal.duplicate] !== undefined) {
      edits.push({ path: ['duplicates', 'accepted', proposal.duplicate], value: undefined });
      remaining.delete(proposal.duplicate);
    }
  }
  // No merge left: the key goes rather than staying as an empty `accepted: {}`.
  if (remaining.size === 0 && Object.keys(current).length > 0)
    return [{ path: ['duplicates', 'accepted'], value: undefined }];
  return edits;
}

/** 503 → 502 → 501 becomes 503 → 501 and 502 → 501, so every merge points at a contact that stays. */
function collapseChains(merges: Map<string, string>): Map<string, string> {
  const resolved = new Map<string, string>();
  for (const duplicate of merges.keys()) {
    let into = merges.get(duplicate) as string;
    const seen = new Set([duplicate]);
    while (merges.has(into) && !seen.has(into)) {
      seen.add(into);
      into = merges.get(into) as string;
    }
    if (into !== duplicate) resolved.set(duplicate, into);
  }
  return resolved;
}

/**
 * What validation says about duplicate contacts: the proposals nobody accepted (they become separate
 * persons), the merges accepted, and accepted entries naming contacts the export does not have. Pure.
 */
export function contactMergeIssues(merges: ContactMerges): Issue[] {
  const issues: Issue[] = [];
  const open = merges.proposals.filter((proposal) => !proposal.accepted);
  const file = merges.proposals[0]?.file;
  if (open.length > 0 && file) {
    const shown = open
      .slice(0, 3)
      .map((p) => `${p.duplicate} (line ${p.duplicateLine}) = ${p.into} (line ${p.intoLine}) by ${p.why}`);
    issues.push({
      code: 'duplicate_merge_proposed',
      severity: 'warning',
      file,
      message: `${open.length} likely duplicate contact(s) are proposed for merging and not accepted, so each becomes a person of its own: ${shown.join('; ')}${open.length > 3 ? '; …' : ''}.`,
      examples: examplesOf(
        file,
        open.map((p) => ({ line: p.duplicateLine, sourceKey: p.duplicate })),
      ),
      fix: 'Accept the merges you agree with on the Validation page of ferry ui, or all of them with `ferry map confirm --accept-merges` (or duplicates.merge: all in mapping.yaml); leave the others.',
    });
  }
  const accepted = merges.proposals.filter((proposal) => proposal.accepted);
  if (accepted.length > 0 && file) {
    issues.push({
      code: 'duplicate_merge_accepted',
      severity: 'info',
      file,
      message: `${merges.merges.size} contact(s) merge into another as accepted (duplicates in mapping.yaml); their rows are skipped as merged and links to them go to the contact they merge into.`,
      examples: examplesOf(
        file,
        accepted.map((p) => ({ line: p.duplicateLine, sourceKey: p.duplicate })),
      ),
    });
  }
  if (merges.unknown.length > 0) {
    issues.push({
      code: 'duplicate_merge_unknown',
      severity: 'warning',
      ...(file ? { file } : {}),
      field: 'duplicates.accepted',
      message: `mapping.yaml accepts merges of contacts the export does not have: ${merges.unknown.join(', ')}; they are left out.`,
      fix: 'Remove those entries from duplicates.accepted in mapping.yaml.',
    });
  }
  return issues;
}
