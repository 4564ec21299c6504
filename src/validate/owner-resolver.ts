import type { MappingEdit } from '../mapping/mapping-file.ts';
import type { FileMapping, OwnerPolicy } from '../mapping/mapping-schema.ts';
import { normaliseValueKey, transformBoolean } from '../mapping/transforms/index.ts';
import type { OwnerResolution } from '../plan/record-planner.ts';
import type { SourceRow } from '../source/model.ts';
import {
  type AccountUser,
  assembleOwnershipReport,
  normaliseEmail,
  type OwnershipReport,
  type StaffMember,
} from './ownership.ts';

/** Reads staff members from the staff file through its mapping (id, name, e-mail, active). */
export function readStaff(file: FileMapping, rows: Iterable<SourceRow>): StaffMember[] {
  const column = (target: string) => file.fields.find((field) => field.target === target)?.column;
  const emailColumn = column('user.email');
  const nameColumn = column('user.name');
  const activeColumn = column('user.active_flag');
  const first = file.fields.find((field) => /first/i.test(field.column))?.column;
  const last = file.fields.find(
    (field) => /last/i.test(field.column) && !/login|modified/i.test(field.column),
  )?.column;
  const staff: StaffMember[] = [];
  for (const row of rows) {
    const joined = [first, last]
      .map((c) => (c ? (row.values[c] ?? '').trim() : ''))
      .filter(Boolean)
      .join(' ');
    const name = (nameColumn ? (row.values[nameColumn] ?? '').trim() : '') || joined || row.sourceKey;
    const email = emailColumn ? (row.values[emailColumn] ?? '').trim() || null : null;
    const aliases = joined && joined !== name ? [joined] : [];
    staff.push({
      key: row.sourceKey,
      name,
      email,
      active: activeColumn ? readStaffActive(row.values[activeColumn] ?? '') : true,
      aliases,
      file: row.file,
      line: row.line,
    });
  }
  return staff;
}

const INACTIVE_STATUS =
  /^(inactive|not active|terminated|former|left|gone|disabled|deactivated|archived|retired|departed|suspended|resigned|inactivo|baja)\b/;
const ACTIVE_STATUS = /^(active|current|enabled|employed|activo|alta)\b/;

/**
 * Whether a staff member is active in BackDocket, from the value of the column mapped to
 * `user.active_flag`: a yes/no flag (`Y`, `FALSE`, `1` …) or a status word (`Active`, `Inactive`,
 * `Terminated`, `Former` …). Blank or unreadable counts as active: only an explicit word makes someone
 * inactive.
 * @example readStaffActive('Inactive') // false · readStaffActive('Y') // true · readStaffActive('') // true
 */
export function readStaffActive(raw: string): boolean {
  const flag = transformBoolean(raw);
  if (flag.ok && flag.value !== null) return flag.value;
  const text = raw.trim().toLowerCase();
  if (INACTIVE_STATUS.test(text)) return false;
  if (ACTIVE_STATUS.test(text)) return true;
  return true;
}

/**
 * Resolves the staff references found in the export (ids, e-mails, names as "Dana Whitfield" or
 * "Reyes, Marco") to the Pipedrive user who will own the records, following the owner policy, and counts
 * how many records each staff member owns for the ownership report.
 */
export class OwnerResolver {
  private readonly byRef = new Map<string, StaffMember>();
  private readonly report: OwnershipReport;
  private readonly policy: OwnerPolicy;
  private readonly usersByEmail: Map<string, AccountUser>;
  private readonly owned = new Map<string, number>();
  private unknownRefs = new Map<string, number>();

  constructor(input: { staff: readonly StaffMember[]; users: readonly AccountUser[]; policy: OwnerPolicy }) {
    this.policy = input.policy;
    this.usersByEmail = new Map(input.users.map((user) => [normaliseEmail(user.email), user]));
    for (const member of input.staff) {
      for (const ref of refsOf(member)) if (!this.byRef.has(ref)) this.byRef.set(ref, member);
    }
    this.report = this.assemble(input.staff, input.users);
  }

  private assemble(staff: readonly StaffMember[], users: readonly AccountUser[]): OwnershipReport {
    const fallbackByStaff = new Map<string, string>();
    for (const [ref, email] of Object.entries(this.policy.staff)) {
      const member = this.byRef.get(normaliseRef(ref));
      if (member) fallbackByStaff.set(member.key, email);
    }
    return assembleOwnershipReport({
      staff,
      users,
      ownedRecords: this.owned,
      fallbackEmail: this.policy.fallbackOwnerEmail,
      fallbackByStaff,
    });
  }

  resolve = (ref: string): OwnerResolution => {
    const member = this.byRef.get(normaliseRef(ref));
    if (!member) {
      this.unknownRefs.set(ref, (this.unknownRefs.get(ref) ?? 0) + 1);
      const direct = this.usersByEmail.get(normaliseEmail(ref));
      if (direct?.active) return { userId: direct.id };
      const fallback = this.fallbackUser();
      return fallback !== undefined
        ? { userId: fallback }
        : { held: `'${ref}' is not a staff member of the export and no fallback owner is set` };
    }
    this.owned.set(member.key, (this.owned.get(member.key) ?? 0) + 1);
    const entry = this.report.entries.find((candidate) => candidate.staff.key === member.key);
    if (entry?.ownerUserId !== null && entry?.ownerUserId !== undefined) return { userId: entry.ownerUserId };
    if (this.policy.unresolved === 'fallback') {
      const fallback = this.fallbackUser();
      if (fallback !== undefined) return { userId: fallback };
    }
    return {
      held: `${member.name} has no active Pipedrive user (${member.email ?? 'no e-mail'}) and no fallback owner is set`,
    };
  };

  private fallbackUser(): number | undefined {
    const email = this.policy.fallbackOwnerEmail;
    const user = email ? this.usersByEmail.get(normaliseEmail(email)) : undefined;
    return user?.active ? user.id : undefined;
  }

  /** The ownership report with the record counts seen while planning. */
  ownershipReport(staff: readonly StaffMember[], users: readonly AccountUser[]): OwnershipReport {
    return this.assemble(staff, users);
  }

  unknownStaffRefs(): ReadonlyMap<string, number> {
    return this.unknownRefs;
  }
}

/**
 * The `owners.staff` keys that name this staff member (by id, name, alias or e-mail), in file order; the
 * last one wins when the resolver reads them.
 * @example staffOverrideRefs({ key: '23', name: 'Reyes, Marco', … }, policy) // ['Marco Reyes']
 */
export function staffOverrideRefs(member: StaffMember, policy: OwnerPolicy): string[] {
  const refs = new Set(refsOf(member));
  return Object.keys(policy.staff).filter((ref) => refs.has(normaliseRef(ref)));
}

/** The e-mail of the user who owns this staff member's records by `owners.staff`, if any. */
export function staffOverrideEmail(member: StaffMember, policy: OwnerPolicy): string | undefined {
  const ref = staffOverrideRefs(member, policy).at(-1);
  return ref === undefined ? undefined : policy.staff[ref];
}

/**
 * Edits to mapping.yaml that make `email`'s user the owner of a staff member's records (or, with null,
 * drop their override so the global fallback applies). Keyed by staff id, the one reference no other
 * member shares, with the name as a comment; other keys naming the same member are removed so that one
 * entry decides.
 * @example ownerOverrideEdits(marco, mapping.owners, 'admin@firm.com')
 */
export function ownerOverrideEdits(
  member: StaffMember,
  policy: OwnerPolicy,
  email: string | null,
): MappingEdit[] {
  const current = staffOverrideRefs(member, policy);
  if (
    email !== null &&
    current.length === 1 &&
    current[0] === member.key &&
    policy.staff[member.key] === email
  )
    return [];
  const edits: MappingEdit[] = current.map((ref) => ({ path: ['owners', 'staff', ref], value: undefined }));
  if (email !== null)
    edits.push({ path: ['owners', 'staff', member.key], value: email, comment: member.name });
  return edits;
}

function refsOf(member: StaffMember): string[] {
  const refs = [member.key, member.name];
  if (member.email) refs.push(member.email);
  refs.push(...(member.aliases ?? []));
  // "Reyes, Marco" is also "Marco Reyes".
  const comma = /^([^,]+),\s*(.+)$/.exec(member.name);
  if (comma) refs.push(`${comma[2]} ${comma[1]}`);
  return refs.map(normaliseRef);
}

function normaliseRef(ref: string): string {
  const comma = /^([^,@]+),\s*([^,]+)$/.exec(ref.trim());
  const flipped = comma ? `${comma[2]} ${comma[1]}` : ref;
  return normaliseValueKey(flipped);
}
