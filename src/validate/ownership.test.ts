import { describe, expect, it } from 'vitest';
import { assembleOwnershipReport, ownershipIssues, standingOf } from './ownership.ts';

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

describe('ownershipIssues', () => {
  const staffWithRows = [
    { key: '17', name: 'Dana Whitfield', email: 'dwhitfield@smithlawfirm.com', active: true },
    {
      key: '31',
      name: 'Tina O’Neil',
      email: 'toneil@smithlawfirm.com',
      active: false,
      file: 'staff.csv',
      line: 3,
    },
    { key: '40', name: 'Nobody', email: 'nobody@smithlawfirm.com', active: true, file: 'staff.csv', line: 4 },
    {
      key: '41',
      name: 'Left Firm',
      email: 'left@smithlawfirm.com',
      active: false,
      file: 'staff.csv',
      line: 5,
    },
    {
      key: '42',
      name: 'Off In Pipedrive',
      email: 'off@smithlawfirm.com',
      active: true,
      file: 'staff.csv',
      line: 6,
    },
  ];
  const accountUsers = [
    ...users,
    { id: 4, name: 'Left Firm', email: 'left@smithlawfirm.com', active: true },
    { id: 5, name: 'Off', email: 'off@smithlawfirm.com', active: false },
  ];
  const records = new Map([
    ['17', 10],
    ['31', 300],
    ['40', 5],
    ['41', 7],
    ['42', 2],
  ]);

  it('names inactive owners as inactive in BackDocket or in Pipedrive, with their record counts and staff row', () => {
    const report = assembleOwnershipReport({
      staff: staffWithRows,
      users: accountUsers,
      ownedRecords: records,
    });
    expect(report.entries.map(standingOf)).toEqual([
      'active',
      'inactive_in_backdocket',
      'no_pipedrive_user',
      'inactive_in_backdocket',
      'inactive_in_pipedrive',
    ]);
    const issues = ownershipIssues(report);
    expect(issues.map((issue) => [issue.code, issue.severity, issue.sourceKey])).toEqual([
      ['inactive_staff_owner', 'error', '31'],
      ['unmatched_staff_owner', 'error', '40'],
      ['inactive_staff_owner', 'warning', '41'],
      ['inactive_staff_owner', 'error', '42'],
    ]);
    expect(issues[0]?.message).toContain(
      'is inactive in BackDocket; deactivated in Pipedrive, and owns 300 record(s): their records are held',
    );
    expect(issues[2]?.message).toContain('inactive in BackDocket; active in Pipedrive, and owns 7 record(s)');
    expect(issues[3]?.message).toContain(
      'active in BackDocket; deactivated in Pipedrive, and owns 2 record(s)',
    );
    expect(issues[0]?.examples).toEqual([{ file: 'staff.csv', line: 3, sourceKey: '31' }]);
  });

  it('says who takes the records over when a fallback owner is set', () => {
    const report = assembleOwnershipReport({
      staff: staffWithRows,
      users: accountUsers,
      ownedRecords: records,
      fallbackEmail: 'admin@firm.com',
    });
    const issues = ownershipIssues(report);
    expect(issues.every((issue) => issue.severity === 'warning')).toBe(true);
    expect(issues[0]?.message).toContain('user 1 takes them over');
  });
});
