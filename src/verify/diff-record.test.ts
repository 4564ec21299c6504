import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffRecord } from './diff-record.ts';

const jsonRecord = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).filter((key) => key !== '__proto__'),
  fc.oneof(
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
  ),
);

describe('diffRecord', () => {
  it('finds no difference between a record and itself', () => {
    fc.assert(fc.property(jsonRecord, (record) => diffRecord(record, record).length === 0));
  });

  it('treats equal data in Pipedrive spellings as equal', () => {
    const expected = {
      title: 'Gonzalez v. Lone Star',
      value: 25000,
      won_time: '2022-12-02T15:00:00Z',
      emails: [{ value: 'Maria@Example.com', primary: true, label: 'work' }],
      phones: [{ value: '+17135550101', primary: true }],
      custom_fields: { abc: { value: 1250.5, currency: 'USD' }, def: '2021-03-28', ghi: 12 },
      content: '<p>Called adj.<br>Left VM</p>',
      due_time: '09:30',
      participants: [{ person_id: 7, primary: true }],
    };
    const actual = {
      id: 1,
      title: 'Gonzalez v. Lone Star',
      value: '25000.00',
      won_time: '2022-12-02 15:00:00',
      emails: [{ value: 'maria@example.com', primary: true, label: 'work' }],
      phones: [{ value: '+1 713-555-0101', primary: true, label: 'work' }],
      custom_fields: { abc: { value: 1250.5, currency: 'USD' }, def: '2021-03-28', ghi: 12 },
      content: 'Called adj.<br/>Left VM',
      due_time: '09:30:00',
      participants: [{ person_id: 7, primary: true }],
      add_time: '2026-01-01T00:00:00Z',
    };
    expect(diffRecord(expected, actual)).toEqual([]);
  });

  it('reports a changed field, a missing value and a changed custom field by path', () => {
    const diffs = diffRecord(
      { title: 'A', value: 10, custom_fields: { k1: 'x' } },
      { title: 'B', custom_fields: { k1: 'y' } },
    );
    expect(diffs.map((diff) => diff.field)).toEqual(['title', 'value', 'custom_fields.k1']);
  });

  it('reads v1 flat custom fields (leads)', () => {
    expect(diffRecord({ custom_fields: { k1: 'x' } }, { k1: 'x' })).toEqual([]);
  });
});
