import { examplesOf, type Issue } from '../core/issues.ts';

/** A BackDocket staff member as the ownership report sees them. */
export interface StaffMember {
  readonly key: string;
  readonly name: string;
  readonly email: string | null;
  /** Active in BackDocket: false when the staff file's status column (user.active_flag) says inactive. */
  readonly active: boolean;
  /** Other spellings of the name seen in the export (first + last when the display name differs). */
  readonly aliases?: readonly string[] | undefined;
  /** Where the member's row is in the export, for issues that name them. */
  readonly file?: string | undefined;
  readonly line?: number | undefined;
}

/** A Pipedrive user of the target account. */
export interface AccountUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly active: boolean;
}

export type OwnerResolution =
  /** Matched by e-mail to an active Pipedrive user. */
  | { readonly status: 'matched'; readonly userId: number }
  /** Matched to a deactivated user: Pipedrive cannot assign new records to them, so the fallback owns them. */
  | { readonly status: 'inactive'; readonly userId: number; readonly fallbackUserId: number | null }
  /** No Pipedrive user has their e-mail. */
  | { readonly status: 'unmatched'; readonly fallbackUserId: number | null };

export interface OwnershipEntry {
  readonly staff: StaffMember;
  readonly resolution: OwnerResolution;
  /** Records this staff member owns in the export. */
  readonly ownedRecords: number;
  /** The Pipedrive user who will own their records, or null: their records are held. */
  readonly ownerUserId: number | null;
}

export interface OwnershipReport {
  readonly entries: readonly OwnershipEntry[];
  readonly fallbackUserId: number | null;
  /** Records that will be held (not migrated) because nobody can own them. */
  readonly heldRecords: number;
}

/**
 * Resolves every staff member to the Pipedrive user who will own their records: by e-mail,
 * case-insensitively; deactivated or missing users fall back to the configured owner (per staff member
 * first, then the global fallback), and records with no owner at all are held. Pure.
 * @example assembleOwnershipReport({ staff, users, ownedRecords: new Map([['17', 40]]), fallbackEmail: 'admin@firm.com' })
 */
export function assembleOwnershipReport(input: {
  staff: readonly StaffMember[];
  users: readonly AccountUser[];
  ownedRecords: ReadonlyMap<string, number>;
  fallbackEmail?: string | null | undefined;
  /** Per staff key: the e-mail of the user who takes over their records. */
  fallbackByStaff?: ReadonlyMap<string, string> | undefined;
}): OwnershipReport {
  const byEmail = new Map(input.users.map((user) => [normaliseEmail(user.email), user]));
  const activeUser = (email: string | null | undefined) => {
    const user = email ? byEmail.get(normaliseEmail(email)) : undefined;
    return user?.active ? user.id : null;
  };
  const globalFallback = activeUser(input.fallbackEmail);
  let heldRecords = 0;
  const entries = input.staff.map((staff): OwnershipEntry => {
    const owned = input.ownedRecords.get(staff.key) ?? 0;
    const fallback = activeUser(input.fallbackByStaff?.get(staff.key)) ?? globalFallback;
    const user = staff.email ? byEmail.get(normaliseEmail(staff.email)) : undefined;
    let resolution: OwnerResolution;
    if (user?.active) resolution = { status: 'matched', userId: user.id };
    else if (user) resolution = { status: 'inactive', userId: user.id, fallbackUserId: fallback };
    else resolution = { status: 'unmatched', fallbackUserId: fallback };
    const ownerUserId = resolution.status === 'matched' ? resolution.userId : resolution.fallbackUserId;
    if (ownerUserId === null) heldRecords += owned;
    return { staff, resolution, ownedRecords: owned, ownerUserId };
  });
  return { entries, fallbackUserId: globalFallback, heldRecords };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * How a staff member stands, as the ownership report names it: inactive in BackDocket (the staff file says
 * so, whatever Pipedrive holds), inactive in Pipedrive (their user is deactivated), no Pipedrive user with
 * their e-mail, or active in both.
 */
export type StaffStanding =
  | 'active'
  | 'inactive_in_backdocket'
  | 'inactive_in_pipedrive'
  | 'no_pipedrive_user';

export function standingOf(entry: OwnershipEntry): StaffStanding {
  if (!entry.staff.active) return 'inactive_in_backdocket';
  if (entry.resolution.status === 'inactive') return 'inactive_in_pipedrive';
  if (entry.resolution.status === 'unmatched') return 'no_pipedrive_user';
  return 'active';
}

/**
 * The member's standing in words, both sides named.
 * @example describeStanding(tina) // 'inactive in BackDocket; deactivated in Pipedrive'
 */
export function describeStanding(entry: OwnershipEntry): string {
  const pipedrive =
    entry.resolution.status === 'matched'
      ? 'active in Pipedrive'
      : entry.resolution.status === 'inactive'
        ? 'deactivated in Pipedrive'
        : 'no Pipedrive user';
  return `${entry.staff.active ? 'active' : 'inactive'} in BackDocket; ${pipedrive}`;
}

/**
 * Issues for staff who own records and are not active in both systems: named as inactive in BackDocket,
 * inactive in Pipedrive, or without a Pipedrive user, with their record count, who takes their records
 * over, and the staff row. An error when nobody can own their records (they are held). Pure.
 * @example ownershipIssues(report) // [{ code: 'inactive_staff_owner', message: 'Tina O’Neil … owns 300 record(s) …' }]
 */
export function ownershipIssues(report: OwnershipReport): Issue[] {
  const issues: Issue[] = [];
  for (const entry of report.entries) {
    const standing = standingOf(entry);
    if (standing === 'active' || entry.ownedRecords === 0) continue;
    const { staff } = entry;
    const heldBack = entry.ownerUserId === null;
    const takeover = heldBack
      ? 'their records are held until an owner is chosen'
      : entry.resolution.status === 'matched'
        ? `their Pipedrive user ${entry.ownerUserId} still owns them`
        : `user ${entry.ownerUserId} takes them over`;
    issues.push({
      code: standing === 'no_pipedrive_user' ? 'unmatched_staff_owner' : 'inactive_staff_owner',
      severity: heldBack ? 'error' : 'warning',
      message: `${staff.name} (${staff.email ?? 'no e-mail'}) is ${describeStanding(entry)}, and owns ${entry.ownedRecords} record(s): ${takeover}.`,
      field: 'owner',
      ...(staff.file ? { file: staff.file, line: staff.line, sourceKey: staff.key } : {}),
      ...(staff.file
        ? { examples: examplesOf(staff.file, [{ line: staff.line, sourceKey: staff.key }]) }
        : {}),
      fix: heldBack
        ? 'Pick an owner for them under owners.staff in mapping.yaml (or on the Validation page of ferry ui), or set owners.fallbackOwnerEmail.'
        : 'Nothing to do unless someone else should own them: owners.staff in mapping.yaml chooses per person.',
    });
  }
  return issues;
}
