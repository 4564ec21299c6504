import { describe, expect, it } from 'vitest';
import type { FileMapping } from '../mapping/mapping-schema.ts';
import type { SourceRow } from '../source/model.ts';
import { chosenMergeEdits, contactMergeIssues, readContactMerges } from './duplicates.ts';

const file: FileMapping = {
  file: 'contacts.csv',
  object: 'contact',
  entity: 'person',
  fields: [
    { column: 'Contact ID', target: 'person.ref:contact' },
    { column: 'Name', target: 'person.name' },
    { column: 'Email', target: 'person.emails' },
    { column: 'Phone', target: 'person.phones' },
  ],
};
const row = (line: number, key: string, name: string, email: string, phone = ''): SourceRow => ({
  file: 'contacts.csv',
  line,
  sourceKey: key,
  contentHash: '',
  values: { 'Contact ID': key, Name: name, Email: email, Phone: phone },
});
const rows = [
  row(2, '501', 'Maria Gonzalez', 'maria.g@example.com', '713-555-0144'),
  row(3, '502', 'María González', 'MARIA.G@example.com ', '(713) 555-0144'),
  row(4, '503', 'Earl Price', 'earl@example.com'),
  row(5, '504', 'Earl Price', 'EARL@example.com'),
  row(6, '505', 'Bo Diaz', 'bo@example.com'),
];

describe('readContactMerges', () => {
  it('proposes duplicates but merges none that a person has not accepted', () => {
    const merges = readContactMerges({ file, rows, duplicates: { contacts: 'email' } });
    expect(merges.proposals.map((p) => [p.duplicate, p.into, p.duplicateLine, p.accepted])).toEqual([
      ['502', '501', 3, false],
      ['504', '503', 5, false],
    ]);
    expect(merges.proposals[0]?.why).toBe('the same e-mail (maria.g@example.com)');
    expect(merges.merges.size).toBe(0);
    const [proposed] = contactMergeIssues(merges);
    expect(proposed).toMatchObject({ code: 'duplicate_merge_proposed', severity: 'warning' });
    expect(proposed?.examples).toEqual([
      { file: 'contacts.csv', line: 3, sourceKey: '502' },
      { file: 'contacts.csv', line: 5, sourceKey: '504' },
    ]);
  });

  it('merges the accepted ones, every one under merge: all, and a pair added by hand', () => {
    const some = readContactMerges({
      file,
      rows,
      duplicates: { contacts: 'email', accepted: { '502': '501', '505': '503', '999': '501' } },
    });
    expect([...some.merges]).toEqual([
      ['502', '501'],
      ['505', '503'],
    ]);
    expect(some.unknown).toEqual(['999']);
    expect(contactMergeIssues(some).map((issue) => issue.code)).toEqual([
      'duplicate_merge_proposed',
      'duplicate_merge_accepted',
      'duplicate_merge_unknown',
    ]);
    const all = readContactMerges({ file, rows, duplicates: { contacts: 'email', merge: 'all' } });
    expect([...all.merges]).toEqual([
      ['502', '501'],
      ['504', '503'],
    ]);
  });

  it('follows a chain of accepted merges to the contact that stays', () => {
    const merges = readContactMerges({
      file,
      rows,
      duplicates: { contacts: 'none', accepted: { '505': '504', '504': '503' } },
    });
    expect(merges.proposals).toEqual([]);
    expect(Object.fromEntries(merges.merges)).toEqual({ '504': '503', '505': '503' });
  });

  it('finds duplicates by name and phone, accents and punctuation aside', () => {
    const merges = readContactMerges({ file, rows, duplicates: { contacts: 'name_phone' } });
    expect(merges.proposals.map((p) => [p.duplicate, p.into, p.why])).toEqual([
      ['502', '501', 'the same name and phone'],
    ]);
  });
});

describe('chosenMergeEdits', () => {
  it('adds the merges ticked and removes the proposals unticked, leaving hand-made entries', () => {
    const { proposals } = readContactMerges({ file, rows, duplicates: { contacts: 'email' } });
    expect(chosenMergeEdits(proposals, new Set(['502']), { '504': '503', '505': '501' })).toEqual([
      {
        path: ['duplicates', 'accepted', '502'],
        value: '501',
        comment: 'the same e-mail (maria.g@example.com)',
      },
      { path: ['duplicates', 'accepted', '504'], value: undefined },
    ]);
    expect(chosenMergeEdits(proposals, new Set(), { '504': '503' })).toEqual([
      { path: ['duplicates', 'accepted'], value: undefined },
    ]);
  });
});
