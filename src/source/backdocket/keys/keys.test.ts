import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coresOfKeys, keyCoreForms, referenceCore } from './key-core.ts';
import { columnEvidence, isIdNamedHeader, isKeyShaped } from './key-evidence.ts';
import { decideKeyPlan } from './key-plan.ts';
import { RowKeyer } from './row-keys.ts';

const plan = (
  names: string[],
  rows: string[][],
  object: Parameters<typeof decideKeyPlan>[0]['object'] = null,
) => decideKeyPlan({ names, evidence: columnEvidence(names, rows), object });

describe('decideKeyPlan', () => {
  it('takes the unique # column, not a Y/N flag whose header ends in an id word', () => {
    const names = ['Photo ID', 'First Name', 'Contact #', 'Has Tax ID'];
    const rows = [
      ['Y', 'Maria', '1001', 'N'],
      ['N', 'Dana', '1002', 'N'],
      ['Y', 'Marco', '1003', 'Y'],
    ];
    expect(plan(names, rows, 'contact').keyColumn).toBe('Contact #');
  });

  it("prefers the object's own id to another unique id-named column", () => {
    const names = ['Claim Number', 'Claim ID', 'Client Contact ID'];
    const rows = [
      ['BD-1', '20001', '1001'],
      ['BD-2', '20002', '1002'],
      ['BD-3', '20003', '1003'],
    ];
    expect(plan(names, rows, 'claim').keyColumn).toBe('Claim ID');
  });

  it('keys rows by the codes other files point at (initials), never by names with spaces', () => {
    const names = ['Initials', 'Full Name', 'Grade'];
    const rows = [
      ['ABK', 'Anna Bek', 'Partner'],
      ['JKO', 'Jan Kowal', 'Trainee'],
      ['MNA', 'Mia Nash', 'Partner'],
    ];
    const evidence = columnEvidence(names, rows);
    expect(decideKeyPlan({ names, evidence, object: 'staff' }).keyColumn).toBeNull();
    expect(decideKeyPlan({ names, evidence, object: 'staff', preferred: 'Initials' }).keyColumn).toBe(
      'Initials',
    );
    expect(decideKeyPlan({ names, evidence, object: 'staff', preferred: 'Full Name' }).keyColumn).toBeNull();
  });

  it('never keys rows by a row counter, and leaves counters and export stamps out of natural keys', () => {
    const names = ['No.', 'First', 'Last', 'Exported At'];
    const rows = [
      ['1', 'Maria', 'Gonzalez', '2024-06-01T02:13:00Z'],
      ['2', 'Dana', 'Whitfield', '2024-06-01T02:13:01Z'],
      ['3', 'Marco', 'Reyes', '2024-06-01T02:13:03Z'],
    ];
    const decided = plan(names, rows, 'contact');
    expect(decided.keyColumn).toBeNull();
    expect(decided.naturalColumns).toEqual(['First', 'Last']);
  });

  it('refuses a column repeated in the first rows, and one with empty cells', () => {
    const names = ['Case #', 'Task #', 'Subject'];
    const rows = [
      ['20001', '50001', 'Call'],
      ['20001', '50002', 'Write'],
      ['20002', '50003', 'File'],
    ];
    expect(plan(names, rows, 'task').keyColumn).toBe('Task #');
    expect(
      plan(
        ['Contact ID', 'Name'],
        [
          ['1', 'a'],
          ['', 'b'],
          ['3', 'c'],
        ],
        'contact',
      ).keyColumn,
    ).toBeNull();
  });

  it('reads id words first or last: Nº Cliente, ID Caso, client_ref', () => {
    for (const header of ['Nº Cliente', 'No. de Cliente', 'ID Caso', 'client_ref', 'Case #', 'Matter Key'])
      expect(isIdNamedHeader(header), header).toBe(true);
    for (const header of ['Client Name', 'Status', 'Photo'])
      expect(isIdNamedHeader(header), header).toBe(false);
  });
});

describe('RowKeyer', () => {
  const names = ['Name', 'Email', 'Row'];
  const naturalPlan = { keyColumn: null, naturalColumns: ['Name', 'Email'], reason: '' };

  it('gives a row the same natural key whatever the order, spacing and case of the export', () => {
    const a = new RowKeyer(naturalPlan, names).keyOf(['Maria  Gonzalez', 'm@x.com', '1']);
    const reordered = new RowKeyer(naturalPlan, ['Row', 'Email', 'Name']).keyOf([
      '9',
      'M@X.COM ',
      ' maria gonzalez',
    ]);
    expect(a?.key).toMatch(/^h:[0-9a-f]{20}$/);
    expect(reordered?.key).toBe(a?.key);
  });

  it('keys rows that share a key value by content, whatever their order (property)', () => {
    const keyPlan = { keyColumn: 'ID', naturalColumns: ['ID', 'Name'], reason: '' };
    const rowArb = fc.tuple(fc.constantFrom('1', '2', '3'), fc.constantFrom('a', 'b', 'c', 'd'));
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 12 }), fc.integer(), (rows, seed) => {
        const keysOf = (order: (readonly [string, string])[]) => {
          // Two readings, as extraction does: the first finds conflicts, the second holds those rows back.
          const first = new RowKeyer(keyPlan, ['ID', 'Name']);
          for (const [id, name] of order) first.keyOf([id, name]);
          const second = new RowKeyer(keyPlan, ['ID', 'Name'], first.conflicts());
          const held: string[][] = [];
          const out: string[] = [];
          for (const [id, name] of order) {
            const keyed = second.keyOf([id, name]);
            if (keyed) out.push(`${id}|${name}|${keyed.key}`);
            else held.push([id, name]);
          }
          const settled = second.settle(held);
          held.forEach(([id, name], i) => {
            out.push(`${id}|${name}|${settled[i]?.key}`);
          });
          return out.sort();
        };
        const shuffled = [...rows].sort(
          (x, y) => (((x[0] + x[1]).charCodeAt(0) * seed) % 7) - (((y[0] + y[1]).charCodeAt(0) * seed) % 7),
        );
        const before = keysOf(rows);
        expect(keysOf(shuffled)).toEqual(before);
        // Every row has its own key.
        expect(new Set(before.map((k) => k.split('|')[2])).size).toBe(rows.length);
      }),
    );
  });
});

describe('isKeyShaped', () => {
  it('takes year-and-number keys and codes with non-ASCII letters, not amounts, phones or words', () => {
    for (const key of ['1042', 'C-001001', '2024.100', '2024-0041', '24/0041', 'Ż-0012', 'ÄR-2024-7'])
      expect(isKeyShaped(key), key).toBe(true);
    for (const other of ['1,250.00', '555-1234', '(713) 555-0101', 'Łódź', 'Maria Gonzalez', '2024-01-05'])
      expect(isKeyShaped(other), other).toBe(false);
  });
});

describe('key cores', () => {
  it('read the number inside a padded or prefixed key, and keep a prefix a reference writes', () => {
    expect(keyCoreForms('C-001001')).toEqual(['1001', 'c 1001']);
    expect(referenceCore('1001')).toBe('1001');
    expect(referenceCore('#0042')).toBe('42');
    expect(referenceCore('c001001')).toBe('c 1001');
    // Dates, decimals and composed references are not numbers with a prefix.
    expect(referenceCore('2024-0041')).toBeUndefined();
    expect(referenceCore('2024.100')).toBeUndefined();
    expect(referenceCore('SMI/0042/JD')).toBeUndefined();
  });

  it('are used only when they tell the keys apart and something was padded or prefixed', () => {
    expect(coresOfKeys(['C-001', 'C-002'])).toEqual(new Set(['1', 'c 1', '2', 'c 2']));
    expect(coresOfKeys(['A-1', 'B-1'])).toBeUndefined();
    expect(coresOfKeys(['1', '2'])).toBeUndefined();
    expect(coresOfKeys(['C-001', 'Maria'])).toBeUndefined();
  });
});
