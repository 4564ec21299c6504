import { describe, expect, it } from 'vitest';
import type { OwnerPolicy } from '../mapping/mapping-schema.ts';
import { OwnerResolver, ownerOverrideEdits, staffOverrideEmail } from './owner-resolver.ts';

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
