import { describe, expect, it } from 'vitest';
import { assembleOwnershipReport } from './ownership.ts';

const users = [
  { id: 1, name: 'Admin', email: 'admin@firm.com', active: true },
  { id: 2, name: 'Dana Whitfield', email: 'dwhitfield@smithlawfirm.com', active: true },
  { id: 3, name: 'Tina O’Neil', email: 'toneil@smithlawfirm.com', active: false },
];
const staff = [
  { key: '17', name: 'Dana Whitfield', email: ' DWhitfield@SmithLawFirm.com ', active: true },
  { key: '31', name: 'Tina O’Neil', email: 'toneil@smithlawfirm.com', active: false },
  { key: '40', name: 'Nobody', email: 'nobody@smithlawfirm.com', active: true },
];
const owned = new Map([
  ['17', 10],
  ['31', 300],
  ['40', 5],
]);

describe('assembleOwnershipReport', () => {
  it('matches by e-mail case-insensitively and sends inactive and unmatched staff to the fallback', () => {
    const report = assembleOwnershipReport({
      staff,
      users,
      ownedRecords: owned,
      fallbackEmail: 'ADMIN@firm.com',
    });
    expect(report.entries.map((entry) => [entry.resolution.status, entry.ownerUserId])).toEqual([
      ['matched', 2],
      ['inactive', 1],
      ['unmatched', 1],
    ]);
    expect(report.heldRecords).toBe(0);
  });

  it('holds the records of staff nobody can own when there is no fallback', () => {
    const report = assembleOwnershipReport({ staff, users, ownedRecords: owned });
    expect(report.heldRecords).toBe(305);
  });

  it('prefers a per-staff fallback over the global one', () => {
    const report = assembleOwnershipReport({
      staff,
      users,
      ownedRecords: owned,
      fallbackEmail: 'admin@firm.com',
      fallbackByStaff: new Map([['31', 'dwhitfield@smithlawfirm.com']]),
    });
    expect(report.entries[1]?.ownerUserId).toBe(2);
  });
});
