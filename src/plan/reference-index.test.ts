import { describe, expect, it } from 'vitest';
import type { Mapping } from '../mapping/mapping-schema.ts';
import type { ColumnProfile, ExtractedFile, SourceRow } from '../source/model.ts';
import { assembleReferenceIndex } from './reference-index.ts';

const column = (name: string, references: ColumnProfile['references'] = []): ColumnProfile => ({
  name,
  originalName: name,
  index: 0,
  fillRate: 1,
  distinctCount: 2,
  kinds: [],
  samples: [],
  maxLength: 20,
  references,
});

const file = (name: string, keyColumn: string | null, columns: ColumnProfile[]): ExtractedFile => ({
  file: name,
  detection: { object: null, confidence: 1, reason: '' },
  rowCount: 2,
  keyColumn,
  columns,
});

const row = (fileName: string, sourceKey: string, values: Record<string, string>): SourceRow => ({
  file: fileName,
  line: 2,
  sourceKey,
  contentHash: '',
  values,
});

describe('assembleReferenceIndex', () => {
  const inventory = [
    file('companies.csv', null, [column('Company Name')]),
    file('contacts.csv', 'Contact #', [
      column('Contact #'),
      column('First'),
      column('Last'),
      column('Insurance Co.', [
        { object: 'company', file: 'companies.csv', overlap: 1, column: 'Company Name', byKey: false },
      ]),
    ]),
    file('events.csv', null, [
      column('Attendee', [
        { object: 'contact', file: 'contacts.csv', overlap: 1, column: 'First + Last', byKey: false },
      ]),
    ]),
  ];
  const mapping = {
    objects: [
      { file: 'companies.csv', object: 'company', entity: 'organization', fields: [] },
      {
        file: 'contacts.csv',
        object: 'contact',
        entity: 'person',
        fields: [{ column: 'Insurance Co.', target: 'person.org_id' }],
      },
      {
        file: 'events.csv',
        object: 'event',
        entity: 'activity',
        fields: [{ column: 'Attendee', target: 'activity.participants' }],
      },
    ],
  } as unknown as Mapping;
  const rows: Record<string, SourceRow[]> = {
    'companies.csv': [
      row('companies.csv', 'h:aaa', { 'Company Name': 'GEICO' }),
      row('companies.csv', 'h:bbb', { 'Company Name': 'State Farm' }),
    ],
    'contacts.csv': [
      row('contacts.csv', 'C-1', { First: 'Maria', Last: 'Gonzalez' }),
      row('contacts.csv', 'C-2', { First: 'Dana', Last: 'Whitfield' }),
      row('contacts.csv', 'C-3', { First: 'Dana', Last: 'Whitfield' }),
    ],
  };
  const index = assembleReferenceIndex({ mapping, inventory, rows: (name) => rows[name] ?? [] });

  it('resolves names and numbers the columns were found to point at, ignoring case and spaces', () => {
    expect(index.resolve('company', ' geico ')).toBe('h:aaa');
    expect(index.resolve('contact', 'Maria  Gonzalez')).toBe('C-1');
    expect(index.resolve('contact', 'Gonzalez, Maria')).toBe('C-1');
    expect(index.resolve('contact', 'c-2')).toBe('C-2');
    expect(index.resolve('company', 'Farm, State')).toBe('h:bbb');
  });

  it('resolves names in a file extraction could not place, by the object the mapping gave it', () => {
    // Read alone, 'T_PPL.csv' was no known object: its references say object null.
    const unplaced = [
      file('T_PPL.csv', 'PPL_GUID', [column('PPL_GUID'), column('A'), column('B')]),
      file('diary.csv', null, [
        column('Who', [{ object: null, file: 'T_PPL.csv', overlap: 1, column: 'A + B', byKey: false }]),
      ]),
    ];
    const decided = {
      objects: [
        { file: 'T_PPL.csv', object: 'contact', entity: 'person', fields: [] },
        {
          file: 'diary.csv',
          object: 'event',
          entity: 'activity',
          fields: [{ column: 'Who', target: 'activity.participants' }],
        },
      ],
    } as unknown as Mapping;
    const people = [row('T_PPL.csv', 'g-1', { A: 'Linh', B: 'Okafor' })];
    const byMapping = assembleReferenceIndex({
      mapping: decided,
      inventory: unplaced,
      rows: (name) => (name === 'T_PPL.csv' ? people : []),
    });
    expect(byMapping.resolve('contact', 'Linh Okafor')).toBe('g-1');
  });

  it('resolves a bare number to the padded, prefixed key holding it, unless two keys hold it', () => {
    const padded = [file('matters.csv', 'Matter', [column('Matter')]), file('tasks.csv', null, [])];
    const matters = {
      objects: [
        { file: 'matters.csv', object: 'claim', entity: 'deal', fields: [] },
        {
          file: 'tasks.csv',
          object: 'task',
          entity: 'activity',
          fields: [{ column: 'Matter', target: 'activity.deal_id' }],
        },
      ],
    } as unknown as Mapping;
    const keyed = (keys: string[]) =>
      assembleReferenceIndex({
        mapping: matters,
        inventory: padded,
        rows: (name) => (name === 'matters.csv' ? keys.map((k) => row(name, k, { Matter: k })) : []),
      });
    const index = keyed(['M-020012', 'M-020013']);
    expect(index.resolve('claim', '20012')).toBe('M-020012');
    expect(index.resolve('claim', 'm20013')).toBe('M-020013');
    expect(index.resolve('claim', 'X-20013')).toBeUndefined();
    expect(keyed(['M-0012', 'P-0012']).resolve('claim', '12')).toBeUndefined();
  });

  it('leaves unresolved what is missing or could be several rows', () => {
    expect(index.resolve('contact', 'Dana Whitfield')).toBeUndefined();
    expect(index.resolve('company', 'Allstate')).toBeUndefined();
  });
});
