import { describe, expect, it } from 'vitest';
import type { FileMapping, OwnerPolicy } from '../mapping/mapping-schema.ts';
import {
  OwnerResolver,
  ownerOverrideEdits,
  readStaff,
  readStaffActive,
  staffOverrideEmail,
} from './owner-resolver.ts';

const users = [
  { id: 1, name: 'Sam Admin', email: 'admin@firm.com', active: true },
  { id: 2, name: 'Dana Whitfield', email: 'dwhitfield@firm.com', active: true },
];
const dana = { key: '17', name: 'Dana Whitfield', email: 'dwhitfield@firm.com', active: true };
const marco = { key: '23', name: 'Reyes, Marco', email: 'mreyes@firm.com', active: true };
const tina = { key: '31', name: 'Tina O’Neil', email: null, active: false };
const staff = [dana, marco, tina];

const policy = (overrides: Partial<OwnerPolicy> = {}): OwnerPolicy => ({
  matchBy: 'email',
  fallbackOwnerEmail: null,
  unresolved: 'hold',
  keepOriginalOwnerIn: null,
  staff: {},
  ...overrides,
});

describe('OwnerResolver with per-staff owners (owners.staff)', () => {
  it('gives an unmatched member the user named for them, by id, and holds the others', () => {
    const owners = new OwnerResolver({ staff, users, policy: policy({ staff: { '23': 'admin@firm.com' } }) });
    expect(owners.resolve('Marco Reyes')).toEqual({ userId: 1 });
    expect(owners.resolve('Dana Whitfield')).toEqual({ userId: 2 });
    expect(owners.resolve('Tina O’Neil')).toHaveProperty('held');
    const report = owners.ownershipReport(staff, users);
    expect(report.entries.map((entry) => [entry.staff.key, entry.ownerUserId, entry.ownedRecords])).toEqual([
      ['17', 2, 1],
      ['23', 1, 1],
      ['31', null, 1],
    ]);
  });

  it('prefers the per-staff owner over the global fallback, and finds a member named by name', () => {
    const owners = new OwnerResolver({
      staff,
      users,
      policy: policy({
        fallbackOwnerEmail: 'admin@firm.com',
        unresolved: 'fallback',
        staff: { 'Tina O’Neil': 'dwhitfield@firm.com' },
      }),
    });
    expect(owners.resolve('31')).toEqual({ userId: 2 });
    expect(owners.resolve('mreyes@firm.com')).toEqual({ userId: 1 });
  });
});

describe('ownerOverrideEdits', () => {
  it('replaces every key naming the member with one keyed by id, commented with the name', () => {
    const current = policy({
      staff: { 'Marco Reyes': 'dwhitfield@firm.com', 'Tina O’Neil': 'admin@firm.com' },
    });
    expect(staffOverrideEmail(marco, current)).toBe('dwhitfield@firm.com');
    expect(ownerOverrideEdits(marco, current, 'admin@firm.com')).toEqual([
      { path: ['owners', 'staff', 'Marco Reyes'], value: undefined },
      { path: ['owners', 'staff', '23'], value: 'admin@firm.com', comment: 'Reyes, Marco' },
    ]);
    expect(ownerOverrideEdits(tina, current, null)).toEqual([
      { path: ['owners', 'staff', 'Tina O’Neil'], value: undefined },
    ]);
  });

  it('makes no edit when the member already has that owner', () => {
    expect(
      ownerOverrideEdits(marco, policy({ staff: { '23': 'admin@firm.com' } }), 'admin@firm.com'),
    ).toEqual([]);
    expect(ownerOverrideEdits(marco, policy(), null)).toEqual([]);
  });
});

describe('readStaff with a status column mapped to user.active_flag (a hand-written mapping)', () => {
  const file: FileMapping = {
    file: 'Staff Roster.csv',
    object: 'staff',
    entity: 'user',
    keyColumn: '#',
    fields: [
      { column: '#', target: 'user.ref:staff' },
      { column: 'Full Name', target: 'user.name' },
      { column: 'Work Email', target: 'user.email' },
      { column: 'Status', target: 'user.active_flag' },
    ],
  };
  const row = (line: number, key: string, name: string, status: string) => ({
    file: 'Staff Roster.csv',
    line,
    sourceKey: key,
    contentHash: '',
    values: { '#': key, 'Full Name': name, 'Work Email': `${key}@firm.com`, Status: status },
  });

  it('reads Active/Inactive words and yes/no flags, and keeps the row for issues', () => {
    const staff = readStaff(file, [
      row(2, '1', 'Dana Whitfield', 'Active'),
      row(3, '2', 'Tina O’Neil', 'Inactive'),
      row(4, '3', 'Marco Reyes', 'TERMINATED'),
      row(5, '4', 'Ana King', 'N'),
      row(6, '5', 'Bo Diaz', ''),
    ]);
    expect(staff.map((member) => [member.name, member.active])).toEqual([
      ['Dana Whitfield', true],
      ['Tina O’Neil', false],
      ['Marco Reyes', false],
      ['Ana King', false],
      ['Bo Diaz', true],
    ]);
    expect(staff[1]).toMatchObject({ file: 'Staff Roster.csv', line: 3, key: '2' });
  });

  it('counts an unknown status word as active (only an explicit word makes someone inactive)', () => {
    expect(['Active', 'Current', 'yes', 'On leave', ''].map(readStaffActive)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['Inactive', 'Former', 'Left', 'disabled', 'false', 'Inactivo'].map(readStaffActive)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
