/** A BackDocket staff member as the ownership report sees them. */
export interface StaffMember {
  readonly key: string;
  readonly name: string;
  readonly email: string | null;
  readonly active: boolean;
  /** Other spellings of the name seen in the export (first + last when the display name differs). */
  readonly aliases?: readonly string[] | undefined;
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
