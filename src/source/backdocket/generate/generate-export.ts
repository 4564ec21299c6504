import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { DATA_QUALITY_PROBLEMS, type DataQualityCode } from '../problems.ts';
import { CsvWriter, type FileEncoding } from './csv-writer.ts';
import { Random } from './random.ts';
import * as V from './vocabulary.ts';

export interface GenerateOptions {
  readonly outDir: string;
  /** Number of claims; everything else scales with it. */
  readonly records: number;
  readonly seed: number;
  readonly onProgress?: (progress: { file: string; rows: number }) => void;
  readonly signal?: AbortSignal;
}

export interface GenerateResult {
  readonly outDir: string;
  readonly files: { file: string; rows: number }[];
  readonly manifestPath: string;
  readonly injectedCounts: Partial<Record<DataQualityCode, number>>;
}

interface Injection {
  readonly code: DataQualityCode;
  readonly file: string;
  readonly line?: number | undefined;
  readonly sourceKey?: string | undefined;
  readonly column?: string | undefined;
  readonly detail: string;
}

const DAY = 86_400_000;
const EPOCH = Date.UTC(2019, 0, 1);
const FIRM_DOMAIN = 'smithlawfirm.com';
/** Staff indexes with fixed jobs (the rest of the roster is random). */
const STAFF = { caseManager: 3, paralegal: 4, intake: 5, tina: 6 } as const;

/**
 * Writes a realistic BackDocket export — the whole export set of backdocket-exports.md §5 with small real
 * files — and seeds every data-quality problem of §6 at a realistic rate, listing each injection in
 * `generated-manifest.json`. Deterministic for a seed; streams every file, so memory stays flat at any size.
 */
export async function generateExport(options: GenerateOptions): Promise<GenerateResult> {
  const generator = new ExportGenerator(options);
  return generator.run();
}

class ExportGenerator {
  private readonly options: GenerateOptions;
  private readonly n: number;
  /** Injections go to a spool file as they happen (a large export has hundreds of thousands). */
  private spoolPath = '';
  private spoolFd = -1;
  private spool: string[] = [];
  private spoolChars = 0;
  private spooled = 0;
  private readonly counts: Partial<Record<DataQualityCode, number>> = {};
  private readonly streamSeeds = new Map<string, number>();
  private readonly files: { file: string; rows: number; encoding: FileEncoding; headerLine: number }[] = [];
  private readonly staffCount: number;
  private readonly contactCount: number;
  private readonly companyCount: number;
  /** Claims left out of claims.csv, as a permission-filtered export would (their children still point at them). */
  private readonly omittedClaims = new Set<number>();

  constructor(options: GenerateOptions) {
    this.options = options;
    this.n = Math.max(1, Math.floor(options.records));
    this.staffCount = Math.max(8, Math.floor(this.n / 40));
    this.contactCount = Math.ceil(this.n * 2.5);
    this.companyCount = Math.max(5, Math.ceil(this.n * 0.3));
    const rng = this.rng('omitted');
    // A permission-filtered export: ~1% of claims are missing (always the last one, so the problem shows).
    if (this.n >= 20) {
      for (let i = 0; i < this.n - 1; i += 1) if (rng.chance(0.01)) this.omittedClaims.add(this.claimId(i));
      this.omittedClaims.add(this.claimId(this.n - 1));
    }
  }

  async run(): Promise<GenerateResult> {
    mkdirSync(this.options.outDir, { recursive: true });
    this.spoolPath = join(this.options.outDir, '.generated-manifest.injected.part');
    this.spoolFd = openSync(this.spoolPath, 'w');
    try {
      return await this.writeAll();
    } finally {
      if (this.spoolFd >= 0) closeSync(this.spoolFd);
      rmSync(this.spoolPath, { force: true });
    }
  }

  private async writeAll(): Promise<GenerateResult> {
    await this.staff();
    await this.companies();
    await this.contacts();
    await this.claimTypes();
    await this.claims();
    await this.claimContacts();
    await this.claimStaff();
    await this.statusHistory();
    await this.intake();
    await this.events();
    await this.tasks();
    await this.notes();
    await this.documents();
    await this.billing();
    await this.checkApprovals();
    await this.templates();
    const manifestPath = join(this.options.outDir, 'generated-manifest.json');
    this.flushSpool();
    closeSync(this.spoolFd);
    this.spoolFd = -1;
    await this.writeManifest(manifestPath);
    const injectedCounts = sortedCounts(this.counts);
    return {
      outDir: this.options.outDir,
      files: this.files.map(({ file, rows }) => ({ file, rows })),
      manifestPath,
      injectedCounts,
    };
  }

  // ---- ids and shared facts (derived, so nothing needs to be held in memory) ------------------------

  /** An independent generator per (stream, index): any row can be rebuilt from its index alone. */
  private rng(stream: string, index = 0): Random {
    let base = this.streamSeeds.get(stream);
    if (base === undefined) {
      base = createHash('sha256').update(`${this.options.seed}:${stream}`).digest().readUInt32LE(0);
      this.streamSeeds.set(stream, base);
    }
    return new Random(mix32(base ^ mix32(index + 0x9e3779b9)));
  }
  private claimId = (i: number) => 1000 + i;
  private contactId = (i: number) => 5000 + i;
  private companyId = (i: number) => 300 + i;
  private staffId = (i: number) => 10 + i;

  private readonly staffCache = new Map<number, ReturnType<ExportGenerator['buildStaff']>>();
  private staffMember(i: number) {
    let member = this.staffCache.get(i);
    if (!member) {
      member = this.buildStaff(i);
      this.staffCache.set(i, member);
    }
    return member;
  }
  /**
   * A fixed core team (0–2 attorneys, 3 case manager, 4 paralegal, 5 intake specialist, all active), then
   * Tina O’Neil (6, an inactive paralegal, as in §5.1), then a random rest of which ~15% are inactive.
   */
  private buildStaff(i: number) {
    const rng = this.rng('staff', i);
    const tina = i === STAFF.tina;
    const first = tina ? 'Tina' : rng.pick(V.FIRST_NAMES);
    const last = tina ? 'O’Neil' : rng.pick(V.LAST_NAMES);
    const active = i < STAFF.tina || (!tina && !rng.chance(0.15));
    const role =
      i < 3
        ? 'Attorney'
        : i === STAFF.caseManager
          ? 'Case Manager'
          : i === STAFF.paralegal || tina
            ? 'Paralegal'
            : i === STAFF.intake
              ? 'Intake Specialist'
              : rng.pick(V.STAFF_ROLES);
    const email = `${first[0]}${last}`.replace(/[^A-Za-z]/g, '').toLowerCase() + (i > STAFF.tina ? i : '');
    return {
      id: this.staffId(i),
      first,
      last,
      name: `${first} ${last}`,
      email: `${email}@${FIRM_DOMAIN}`,
      active,
      role,
    };
  }
  /** Lead attorney: mostly an active partner; now and then a former attorney (an inactive owner). */
  private attorney(claim: number) {
    const rng = this.rng('lead', claim);
    if (this.staffCount > STAFF.tina + 1 && rng.chance(0.02)) {
      const index = rng.int(STAFF.tina + 1, this.staffCount - 1);
      if (!this.staffMember(index).active) return this.staffMember(index);
    }
    return this.staffMember(rng.int(0, 2));
  }
  private claimNumber(i: number, opened: number) {
    return `BD-${new Date(opened).getUTCFullYear()}-${String(i).padStart(4, '0')}`;
  }
  /** The claim a child row of index `k` belongs to, skipping claims left out of claims.csv. */
  private liveClaim(k: number) {
    let index = k % this.n;
    while (this.omittedClaims.has(this.claimId(index))) index = (index + 1) % this.n;
    return this.claimFacts(index);
  }
  private claimFacts(i: number) {
    const rng = this.rng('claim', i);
    const type = i < V.CLAIM_TYPES.length ? V.CLAIM_TYPES[i]! : rng.pick(V.CLAIM_TYPES.slice(0, 10));
    const status = rng.pick(V.STATUSES);
    const opened = EPOCH + rng.int(0, 1400) * DAY;
    return { id: this.claimId(i), type, status, opened, client: this.contactId((i * 2) % this.contactCount) };
  }
  private contactName(i: number) {
    const rng = this.rng('contact', i);
    return { first: rng.pick(V.FIRST_NAMES), last: rng.pick(V.LAST_NAMES) };
  }

  private inject(injection: Injection): void {
    this.counts[injection.code] = (this.counts[injection.code] ?? 0) + 1;
    const text = JSON.stringify(injection);
    this.spool.push(this.spooled === 0 ? text : `,\n${text}`);
    this.spooled += 1;
    this.spoolChars += text.length;
    if (this.spoolChars > 1 << 16) this.flushSpool();
  }

  private flushSpool(): void {
    if (this.spool.length === 0) return;
    writeSync(this.spoolFd, this.spool.join(''));
    this.spool = [];
    this.spoolChars = 0;
  }

  private async open(file: string, encoding: FileEncoding = 'utf-8') {
    const onProgress = this.options.onProgress;
    return new CsvWriter({
      path: join(this.options.outDir, file),
      file,
      encoding,
      signal: this.options.signal,
      onRows: onProgress && ((rows) => onProgress({ file, rows })),
    });
  }

  private async finish(writer: CsvWriter, headerLine: number): Promise<void> {
    await writer.close();
    this.files.push({ file: writer.file, rows: writer.rows, encoding: writer.encoding, headerLine });
    this.options.onProgress?.({ file: writer.file, rows: writer.rows });
    if (this.options.signal?.aborted) throw this.options.signal.reason;
  }

  // ---- files ----------------------------------------------------------------------------------------

  private async staff() {
    const header = [
      'Staff ID',
      'First Name',
      'Last Name',
      'Display Name',
      'Email',
      'Role',
      'Additional Roles',
      'Title',
      'Bar Number',
      'Office',
      'Phone',
      'Ext',
      'Active',
      'Deactivated Date',
      'Created Date',
      'Last Login',
    ];
    // A BOM in the first header, as Excel writes "CSV UTF-8".
    const w = await this.open('staff.csv', 'utf-8-bom');
    const headerLine = await w.row(header, false);
    this.inject({
      code: 'encoding_damage',
      file: w.file,
      line: headerLine,
      column: 'Staff ID',
      detail: 'UTF-8 BOM before the first header',
    });
    for (let i = 0; i < this.staffCount; i += 1) {
      const s = this.staffMember(i);
      const rng = this.rng('staff-row', i);
      const [yes, no] = rng.chance(0.12) ? rng.pick(V.BOOLEAN_SPELLINGS.slice(1, 4)) : ['Yes', 'No'];
      const additional = rng.chance(0.2) ? 'Negotiator;Intake' : '';
      const display = rng.chance(0.2) ? `${s.last}, ${s.first}` : s.name;
      const email = rng.chance(0.1) ? `${s.email.charAt(0).toUpperCase()}${s.email.slice(1)} ` : s.email;
      const line = await w.row([
        s.id,
        s.first,
        s.last,
        display,
        email,
        s.role,
        additional,
        s.role,
        s.role === 'Attorney' ? `TX ${24000000 + i}` : '',
        rng.pick(['Main', 'Galveston']),
        formatPhone(rng, 0),
        '',
        s.active ? yes : no,
        s.active ? '' : usDate(EPOCH + (1200 + i) * DAY),
        usDate(EPOCH - i * DAY),
        '',
      ]);
      if (yes !== 'Yes')
        this.inject({
          code: 'inconsistent_boolean',
          file: w.file,
          line,
          sourceKey: String(s.id),
          column: 'Active',
          detail: s.active ? yes : no,
        });
      if (additional)
        this.inject({
          code: 'multi_value_cell',
          file: w.file,
          line,
          sourceKey: String(s.id),
          column: 'Additional Roles',
          detail: additional,
        });
    }
    await this.finish(w, headerLine);
  }

  private async companies() {
    const header = [
      'Company ID',
      'Company Name',
      'Company Category',
      'Parent Company',
      'Tax ID',
      'NPI',
      'Main Phone',
      'Fax',
      'Records Fax',
      'Billing Phone',
      'Email',
      'Website',
      'Address 1',
      'Address 2',
      'City',
      'State',
      'Zip',
      'Country',
      'Notes',
      'Active',
      'Created Date',
      'Modified Date',
    ];
    // Saved from Excel on Windows: Windows-1252, so é and ’ are single bytes.
    const w = await this.open('companies.csv', 'windows-1252');
    const headerLine = await w.row(header, false);
    this.inject({ code: 'encoding_damage', file: w.file, detail: 'file written in Windows-1252' });
    for (let i = 0; i < this.companyCount; i += 1) {
      const rng = this.rng('company', i);
      const [category, suffix] = rng.pick(V.COMPANY_KINDS);
      const name = `${rng.pick(V.COMPANY_WORDS)} ${suffix}`;
      const zip = String(rng.int(1000, 99999)).padStart(5, '0');
      const mangled = zip.startsWith('0') && rng.chance(0.5);
      const line = await w.row([
        this.companyId(i),
        name,
        category,
        '',
        `${rng.int(10, 99)}-${rng.int(1000000, 9999999)}`,
        category.includes('Medical') ? rng.int(1000000000, 1999999999) : '',
        formatPhone(rng, 0),
        '',
        '',
        '',
        `info@${name.toLowerCase().replace(/[^a-z]/g, '')}.com`,
        `https://www.${name.toLowerCase().replace(/[^a-z]/g, '')}.com`,
        `${rng.int(100, 9999)} ${rng.pick(V.LAST_NAMES)} St`,
        '',
        rng.pick(['Houston', 'Galveston', 'Austin', 'Dallas']),
        'TX',
        mangled ? String(Number(zip)) : zip,
        'USA',
        rng.chance(0.1) ? 'Café meeting room – ask for Zoë’s desk' : '',
        'Yes',
        usDate(EPOCH + i * DAY),
        '',
      ]);
      if (mangled)
        this.inject({
          code: 'excel_mangling',
          file: w.file,
          line,
          sourceKey: String(this.companyId(i)),
          column: 'Zip',
          detail: `${zip} → ${Number(zip)}`,
        });
    }
    await this.finish(w, headerLine);
  }

  private async contacts() {
    const header = [
      'Contact ID',
      'Contact Type',
      'Prefix',
      'First Name',
      'Middle Name',
      'Last Name',
      'Suffix',
      'Nickname',
      'Company ID',
      'Company Name',
      'Job Title',
      'Email',
      'Email 2',
      'Mobile Phone',
      'Home Phone',
      'Work Phone',
      'Fax',
      'Address 1',
      'Address 2',
      'City',
      'State',
      'Zip',
      'County',
      'Country',
      'Date of Birth',
      'SSN Last 4',
      'Gender',
      'Preferred Language',
      'Preferred Contact Method',
      'Do Not Contact',
      'Categories',
      'Referral Source',
      'Notes',
      'Created By',
      'Created Date',
      'Modified Date',
      'Active',
    ];
    const w = await this.open('contacts.csv');
    const headerLine = await w.row(header, false);
    this.inject({
      code: 'sensitive_data',
      file: w.file,
      column: 'SSN Last 4',
      detail: 'SSN last 4 and date of birth columns',
    });
    for (let i = 0; i < this.contactCount; i += 1) {
      const rng = this.rng('contact-row', i);
      const id = this.contactId(i);
      let { first, last } = this.contactName(i);
      let email = `${first}.${last}${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@example.com';
      let phone = formatPhone(rng, i);
      const duplicate = i > 10 && rng.chance(0.02);
      if (duplicate) {
        const original = this.contactName(i - 7);
        first = original.first.toUpperCase();
        last = accent(original.last);
        email =
          `${original.first}.${original.last}${i - 7}`.toLowerCase().replace(/[^a-z0-9.]/g, '') +
          '@example.com';
      }
      const missing = !duplicate && rng.chance(0.04);
      if (missing) {
        email = '';
        phone = rng.chance(0.5) ? '713-555-01' : '';
      }
      const dob = rng.chance(0.03) ? '01/01/1900' : usDate(Date.UTC(1950, 0, 1) + rng.int(0, 18000) * DAY);
      const categories = rng.chance(0.04)
        ? rng.pick(['Client; Witness', 'Client;Referral Source'])
        : 'Client';
      const company = rng.chance(0.3) ? this.companyId(rng.int(0, this.companyCount - 1)) : '';
      const line = await w.row([
        id,
        'Person',
        '',
        first,
        '',
        last,
        '',
        '',
        company,
        '',
        '',
        email,
        '',
        phone,
        '',
        '',
        '',
        `${rng.int(100, 9999)} Main St`,
        '',
        'Houston',
        'TX',
        String(rng.int(77001, 77099)),
        'Harris',
        'USA',
        dob,
        String(rng.int(1000, 9999)),
        rng.pick(['F', 'M', '']),
        rng.pick(['English', 'Spanish']),
        rng.pick(['Phone', 'Email', 'Text']),
        rng.chance(0.05) ? 'Y' : 'N',
        categories,
        '',
        rng.chance(0.05) ? 'Prefers calls after 5pm 🙂' : '',
        this.staffMember(0).name,
        usDate(EPOCH + (i % 1400) * DAY),
        '',
        'Yes',
      ]);
      if (duplicate)
        this.inject({
          code: 'duplicate_contact',
          file: w.file,
          line,
          sourceKey: String(id),
          detail: `same e-mail as contact ${this.contactId(i - 7)}`,
        });
      if (missing)
        this.inject({
          code: 'missing_contact_info',
          file: w.file,
          line,
          sourceKey: String(id),
          column: 'Email',
          detail: 'no e-mail, no usable phone',
        });
      if (categories.includes(';'))
        this.inject({
          code: 'multi_value_cell',
          file: w.file,
          line,
          sourceKey: String(id),
          column: 'Categories',
          detail: categories,
        });
      if (dob === '01/01/1900')
        this.inject({
          code: 'mixed_date_formats',
          file: w.file,
          line,
          sourceKey: String(id),
          column: 'Date of Birth',
          detail: 'placeholder 01/01/1900',
        });
    }
    await this.finish(w, headerLine);
  }

  private async claimTypes() {
    const header = [
      'Claim Type ID',
      'Claim Type',
      'Template Source',
      'Practice Area',
      'Default SOL (years)',
      'Intake Form',
      'Expected Events',
      'Active',
    ];
    const w = await this.open('claim_types.csv');
    const headerLine = await w.row(header, false);
    const fieldsHeader = [
      'Claim Type ID',
      'Field ID',
      'Section',
      'Field Label',
      'Field Type',
      'Options',
      'Required',
      'Sort Order',
      'Active',
    ];
    const f = await this.open('claim_type_fields.csv');
    const fieldsHeaderLine = await f.row(fieldsHeader, false);
    let fieldId = 1;
    for (const [index, type] of V.CLAIM_TYPES.entries()) {
      await w.row([
        index + 1,
        type,
        index < 10 ? 'BackDocket template' : 'Custom',
        index < 10 ? 'Plaintiff' : 'Other',
        2,
        `${type} Intake`,
        'Retainer Signed|Demand Sent|Suit Filed|SOL',
        'Yes',
      ]);
      for (const [label, kind] of V.AD_HOC_FIELDS[type] ?? []) {
        await f.row([
          index + 1,
          fieldId,
          'Details',
          label.split(': ')[1] ?? label,
          kind,
          kind === 'Dropdown' ? 'H-1B;F-1;Green Card' : '',
          'No',
          fieldId,
          'Yes',
        ]);
        fieldId += 1;
      }
    }
    await this.finish(w, headerLine);
    await this.finish(f, fieldsHeaderLine);
  }

  private async claims() {
    const adHoc = Object.values(V.AD_HOC_FIELDS)
      .flat()
      .map(([label]) => label);
    const header = [
      'Claim ID',
      'Claim Number',
      'Matter ID',
      'Claim Name',
      'Claim Type',
      'Status',
      'Status Date',
      'Sub Status',
      'Client Contact ID',
      'Client Name',
      'Lead Attorney',
      'Case Manager',
      'Paralegal',
      'Intake Specialist',
      'Office',
      'Referral Source',
      'Referred By',
      'Referred To Firm',
      'Marketing Source',
      'Intake Date',
      'Date Opened',
      'Contract Signed Date',
      'Date of Incident',
      'Statute of Limitations',
      'SOL Type',
      'Incident State',
      'Incident County',
      'Incident Location',
      'Incident Description',
      'Venue',
      'Court',
      'Cause Number',
      'Defendant(s)',
      'Opposing Counsel',
      'Total Medical Bills',
      'Demand Amount',
      'Demand Date',
      'Last Offer',
      'Last Offer Date',
      'Settlement Amount',
      'Settlement Date',
      'Attorney Fee %',
      'Attorney Fee',
      'Case Costs',
      'Liens Total',
      'Net to Client',
      'Closed Date',
      'Closed Reason',
      'Rejected Reason',
      'Active',
      'Deactivated Date',
      'Created By',
      'Created Date',
      'Modified By',
      'Modified Date',
      'Notes',
      ...adHoc,
      'Notes',
    ];
    const w = await this.open('claims.csv');
    const headerLine = await w.row(header, false);
    this.inject({
      code: 'duplicate_header',
      file: w.file,
      line: headerLine,
      column: 'Notes',
      detail: 'two Notes columns',
    });
    this.inject({
      code: 'same_concept_different_labels',
      file: w.file,
      line: headerLine,
      column: 'WC: Date of Injury',
      detail: 'Date of Incident vs WC: Date of Injury',
    });
    for (let i = 0; i < this.n; i += 1) {
      const facts = this.claimFacts(i);
      if (this.omittedClaims.has(facts.id)) continue;
      const rng = this.rng('claim-row', i);
      const client = this.contactName(facts.client - 5000);
      const lead = this.attorney(i);
      const incident = facts.opened - rng.int(5, 200) * DAY;
      const settled = facts.status === 'Settled' || facts.status === 'Closed';
      const settlement = settled ? rng.int(5, 300) * 1000 : 0;
      const fee = Math.round(settlement * (facts.status === 'Litigation' ? 0.4 : 1 / 3) * 100) / 100;
      const costs = settled ? rng.int(100, Math.min(5000, settlement / 10)) : 0;
      const liens = settled ? rng.int(0, settlement / 5) : 0;
      let net = Math.round((settlement - fee - costs - liens) * 100) / 100;
      const badNet = settled && rng.chance(0.05);
      if (badNet) net += 1000;
      const drift =
        V.STATUS_DRIFT[facts.status] && rng.chance(0.15)
          ? rng.pick(V.STATUS_DRIFT[facts.status]!)
          : facts.status;
      // Main format M/D/YYYY; ~6% an Excel serial, an ISO date or the 00/00/0000 placeholder.
      const dateStyle = rng.chance(0.06) ? rng.int(0, 2) : 3;
      const incidentText =
        dateStyle === 0
          ? String(excelSerial(incident))
          : dateStyle === 1
            ? isoDate(incident)
            : dateStyle === 2
              ? '00/00/0000'
              : usDate(incident);
      const claimNumber = rng.chance(0.03)
        ? `${(2.02301 + i / 1e6).toPrecision(6)}E+11`
        : this.claimNumber(i, facts.opened);
      const litigated = facts.status === 'Litigation';
      const cleanPercent = litigated ? '40%' : '33.33%';
      const percent = rng.chance(0.05)
        ? rng.pick(litigated ? ['0.4', '40'] : ['33 1/3%', '0.3333', '33.33'])
        : cleanPercent;
      const active = rng.chance(0.04) ? rng.pick(['Y', '1', 'TRUE', 'X']) : 'Yes';
      const manager = this.staffMember(STAFF.caseManager);
      const adHocValues = adHoc.map((label) => {
        if (!label.startsWith(shortType(facts.type))) return '';
        if (label.includes('Date')) return usDate(incident);
        if (label.includes('Year')) return String(2005 + rng.int(0, 18));
        if (label.includes('Wage') || label.includes('Amount')) return `$${rng.int(300, 2000)}.00`;
        return `${rng.pick(V.COMPANY_WORDS)} ${rng.int(1, 99)}`;
      });
      const line = await w.row([
        facts.id,
        claimNumber,
        rng.chance(0.1) ? `M-${rng.int(1, 99)}` : '',
        `${client.last}, ${client.first} v. ${rng.pick(V.COMPANY_WORDS)} Freight`,
        facts.type,
        drift,
        usDate(facts.opened + 10 * DAY),
        '',
        facts.client,
        `${client.first} ${client.last}`,
        lead.name,
        manager.name,
        this.staffMember(STAFF.paralegal).name,
        this.staffMember(STAFF.intake).name,
        'Main',
        rng.pick(['Google', 'Billboard', 'Referral', 'TV']),
        '',
        facts.status === 'Referred' ? 'Gulf Coast Law Firm PLLC' : '',
        '',
        usDate(facts.opened),
        usDate(facts.opened),
        usDate(facts.opened + 3 * DAY),
        incidentText,
        usDate(incident + 730 * DAY),
        'General',
        'TX',
        'Harris',
        'I-45 at Main',
        'Rear-end collision; "soft tissue" injuries',
        'Harris County',
        '',
        '',
        `${rng.pick(V.COMPANY_WORDS)} Freight`,
        '',
        settled ? money(rng.int(1000, 50000)) : '',
        '',
        '',
        '',
        '',
        settled ? money(settlement) : '',
        settled ? usDate(facts.opened + 300 * DAY) : '',
        percent,
        settled ? money(fee) : '',
        settled ? money(costs) : '',
        settled ? money(liens) : '',
        settled ? money(net) : '',
        settled ? usDate(facts.opened + 320 * DAY) : '',
        settled ? 'Settled' : '',
        facts.status === 'Rejected' ? 'No liability' : '',
        active,
        '',
        lead.name,
        usDate(facts.opened),
        '',
        '',
        '',
        ...adHocValues,
        '',
      ]);
      const key = String(facts.id);
      if (drift !== facts.status)
        this.inject({
          code: 'status_spelling_drift',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Status',
          detail: JSON.stringify(drift),
        });
      if (dateStyle !== 3)
        this.inject({
          code: 'mixed_date_formats',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Date of Incident',
          detail: incidentText,
        });
      if (claimNumber.includes('E+'))
        this.inject({
          code: 'excel_mangling',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Claim Number',
          detail: claimNumber,
        });
      if (percent !== cleanPercent)
        this.inject({
          code: 'percent_variant',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Attorney Fee %',
          detail: percent,
        });
      if (active !== 'Yes')
        this.inject({
          code: 'inconsistent_boolean',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Active',
          detail: active,
        });
      if (!lead.active)
        this.inject({
          code: 'inactive_staff_owner',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Lead Attorney',
          detail: `${lead.name} is inactive`,
        });
      if (badNet)
        this.inject({
          code: 'money_does_not_add_up',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Net to Client',
          detail: 'off by $1,000',
        });
    }
    await this.finish(w, headerLine);
  }

  private async claimContacts() {
    const header = [
      'Claim ID',
      'Contact ID',
      'Company ID',
      'Role',
      'Is Primary',
      'Represented By',
      'Policy Number',
      'Claim Number (Carrier)',
      'Notes',
      'Added Date',
    ];
    const w = await this.open('claim_contacts.csv');
    const headerLine = await w.row(header, false);
    for (let i = 0; i < this.n; i += 1) {
      const facts = this.claimFacts(i);
      if (this.omittedClaims.has(facts.id)) continue;
      const rng = this.rng('claim-contacts', i);
      await w.row([facts.id, facts.client, '', 'Client', 'Yes', '', '', '', '', usDate(facts.opened)]);
      const other = this.contactId((i * 2 + 1) % this.contactCount);
      // Policy numbers are long digit strings; Excel turns ~2% of them into scientific notation.
      const policy = String(rng.int(100000, 999999) * 1e9 + rng.int(100000000, 999999999));
      const mangled = rng.chance(0.02);
      const policyText = mangled ? Number(policy).toExponential(5).toUpperCase() : policy;
      const line = await w.row([
        facts.id,
        other,
        rng.chance(0.5) ? this.companyId(rng.int(0, this.companyCount - 1)) : '',
        rng.pick(V.CONTACT_ROLES.slice(1)),
        'No',
        '',
        policyText,
        '',
        '',
        usDate(facts.opened),
      ]);
      if (mangled)
        this.inject({
          code: 'excel_mangling',
          file: w.file,
          line,
          sourceKey: `${facts.id}:${other}`,
          column: 'Policy Number',
          detail: `${policy} → ${policyText}`,
        });
    }
    await this.finish(w, headerLine);
  }

  private async claimStaff() {
    const header = [
      'Claim ID',
      'Staff ID',
      'Staff Name',
      'Role on Claim',
      'Is Lead',
      'Assigned Date',
      'Unassigned Date',
    ];
    const w = await this.open('claim_staff.csv');
    const headerLine = await w.row(header, false);
    for (let i = 0; i < this.n; i += 1) {
      const facts = this.claimFacts(i);
      if (this.omittedClaims.has(facts.id)) continue;
      const lead = this.attorney(i);
      await w.row([facts.id, lead.id, lead.name, 'Attorney', 'Y', usDate(facts.opened), '']);
      const manager = this.staffMember(STAFF.caseManager);
      await w.row([facts.id, manager.id, manager.name, 'Case Manager', 'N', usDate(facts.opened), '']);
      if (i % 2 === 0) {
        const paralegal = this.staffMember(STAFF.paralegal);
        await w.row([facts.id, paralegal.id, paralegal.name, 'Paralegal', 'N', usDate(facts.opened), '']);
      }
    }
    await this.finish(w, headerLine);
  }

  private async statusHistory() {
    const header = [
      'Claim ID',
      'Claim Number',
      'From Status',
      'To Status',
      'Changed On',
      'Changed By',
      'Comment',
    ];
    const w = await this.open('claim_status_history.csv');
    const headerLine = await w.row(header, false);
    this.inject({
      code: 'timestamp_without_zone',
      file: w.file,
      column: 'Changed On',
      detail: 'local times without a zone',
    });
    for (let i = 0; i < this.n; i += 1) {
      const facts = this.claimFacts(i);
      if (this.omittedClaims.has(facts.id)) continue;
      const rng = this.rng('history', i);
      const path = historyPath(facts.status);
      const gap = path.length > 1 && rng.chance(0.04);
      const steps = gap ? path.slice(0, -1) : path;
      let from = '';
      let at = facts.opened;
      let lastLine = 0;
      for (const to of steps) {
        // Main format "M/D/YYYY h:mm AM"; ~4% ISO with seconds (another screen of the product).
        const iso = rng.chance(0.04);
        const text = iso
          ? `${isoDate(at)}T${String(rng.int(8, 17)).padStart(2, '0')}:03:11`
          : `${usDate(at)} ${rng.int(1, 12)}:${String(rng.int(0, 59)).padStart(2, '0')} ${rng.pick(['AM', 'PM'])}`;
        const line = await w.row([
          facts.id,
          this.claimNumber(i, facts.opened),
          from,
          to,
          text,
          to === 'Chase Call' || to === 'No Decision'
            ? this.staffMember(STAFF.intake).name
            : this.staffMember(STAFF.caseManager).name,
          rng.chance(0.2) ? 'signed at office; fee 33 1/3%' : '',
        ]);
        if (iso)
          this.inject({
            code: 'mixed_date_formats',
            file: w.file,
            line,
            sourceKey: String(facts.id),
            column: 'Changed On',
            detail: text,
          });
        lastLine = line;
        from = to;
        at += rng.int(2, 60) * DAY;
      }
      if (gap)
        this.inject({
          code: 'status_history_gap',
          file: w.file,
          line: lastLine,
          sourceKey: String(facts.id),
          column: 'To Status',
          detail: `history ends at ${steps.at(-1)}, claim is ${facts.status}`,
        });
    }
    await this.finish(w, headerLine);
  }

  private async intake() {
    const header = [
      'Intake ID',
      'Intake Form',
      'Claim Type',
      'Submitted On',
      'Intake Specialist',
      'Lead Source',
      'Caller Name',
      'Caller Phone',
      'Caller Email',
      'Injured Party',
      'Relationship to Injured',
      'Date of Incident',
      'Incident Summary',
      'Injuries',
      'Treated At',
      'Other Attorney Involved',
      'Outcome',
      'Outcome Reason',
      'Claim ID',
      'Follow-up Date',
      'Q: Were police called?',
      'Q: Ambulance?',
    ];
    const w = await this.open('intake_submissions.csv');
    const headerLine = await w.row(header, false);
    const count = Math.ceil(this.n * 1.2);
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('intake', i);
      const linked = i < this.n && rng.chance(0.8) && !this.omittedClaims.has(this.claimId(i));
      const claim = linked ? this.claimFacts(i) : undefined;
      const caller = this.contactName((i * 3) % this.contactCount);
      const when = claim ? claim.opened - DAY : EPOCH + rng.int(0, 1400) * DAY;
      await w.row([
        70000 + i,
        'Auto Intake',
        claim?.type ?? rng.pick(V.CLAIM_TYPES.slice(0, 10)),
        usDate(when),
        this.staffMember(STAFF.intake).name,
        rng.pick(['Google', 'TV', 'Referral']),
        `${caller.first} ${caller.last}`,
        formatPhone(rng, i),
        `${caller.first}${i}@example.net`.toLowerCase(),
        `${caller.first} ${caller.last}`,
        'Self',
        usDate(when - 10 * DAY),
        'Rear-ended at a light',
        'Neck pain',
        'Memorial Hermann',
        'No',
        claim ? 'Signed' : rng.pick(['Chase Call', 'No Decision', 'Rejected', 'Referred']),
        '',
        claim?.id ?? '',
        usDate(when + 7 * DAY),
        rng.pick(['Yes', 'No']),
        rng.pick(['Yes', 'No', '']),
      ]);
    }
    await this.finish(w, headerLine);
  }

  private async events() {
    const header = [
      'Event ID',
      'Claim ID',
      'Event Type',
      'Title',
      'Start Date',
      'Start Time',
      'End Date',
      'End Time',
      'All Day',
      'Time Zone',
      'Location',
      'Staff Attendees',
      'Contact Attendees',
      'Description',
      'Reminder',
      'Expected Event',
      'Completed',
      'Completed On',
      'Created By',
      'Created Date',
    ];
    const w = await this.open('calendar_events.csv');
    const headerLine = await w.row(header, false);
    const count = this.n * 3;
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('event', i);
      const facts = this.claimFacts(i % this.n);
      const type = rng.pick(V.EVENT_TYPES);
      const when = facts.opened + rng.int(10, 400) * DAY;
      const done = when < EPOCH + 1500 * DAY && rng.chance(0.7);
      const line = await w.row([
        80000 + i,
        facts.id,
        type,
        `${type} – ${facts.type}`,
        usDate(when),
        `${rng.int(8, 16)}:00`,
        usDate(when),
        `${rng.int(8, 16)}:30`,
        'N',
        'America/Chicago',
        'Harris County Courthouse',
        this.attorney(i % this.n).name,
        type === 'Client Meeting' ? facts.client : '',
        'Bring exhibits',
        '1 day',
        type === 'Expected Event' ? 'Y' : 'N',
        done ? 'Y' : 'N',
        done ? usDate(when) : '',
        this.staffMember(STAFF.caseManager).name,
        usDate(facts.opened),
      ]);
      if (this.omittedClaims.has(facts.id))
        this.inject({
          code: 'truncated_export',
          file: w.file,
          line,
          sourceKey: String(80000 + i),
          column: 'Claim ID',
          detail: `claim ${facts.id} not in claims.csv`,
        });
    }
    await this.finish(w, headerLine);
  }

  private async tasks() {
    const header = [
      'Task ID',
      'Claim ID',
      'Subject',
      'Description',
      'Category',
      'Priority',
      'Assigned To',
      'Assigned By',
      'Due Date',
      'Status',
      'Completed Date',
      'Completed By',
      'Created Date',
      'Recurrence',
      'Source (Expected Event / Manual / Workflow)',
    ];
    const w = await this.open('tasks.csv');
    const headerLine = await w.row(header, false);
    const count = this.n * 4;
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('task', i);
      const facts = this.liveClaim(i);
      // Mostly the active core team; ~4% someone from the whole roster (inactive ones included).
      const assignee = this.staffMember(
        rng.chance(0.04) ? rng.int(0, this.staffCount - 1) : rng.int(0, STAFF.intake),
      );
      const status = rng.pick(V.TASK_STATUSES);
      const due = facts.opened + rng.int(5, 300) * DAY;
      const line = await w.row([
        90000 + i,
        facts.id,
        rng.pick(['Request medical records', 'Call adjuster', 'Send demand', 'File suit', 'Client check-in']),
        'See notes',
        'Case Work',
        rng.pick(['High', 'Normal', 'Low']),
        assignee.name,
        this.staffMember(0).name,
        usDate(due),
        status,
        status === 'Completed' ? usDate(due) : '',
        status === 'Completed' ? assignee.name : '',
        usDate(facts.opened),
        '',
        rng.pick(['Manual', 'Expected Event', 'Workflow']),
      ]);
      if (!assignee.active)
        this.inject({
          code: 'inactive_staff_owner',
          file: w.file,
          line,
          sourceKey: String(90000 + i),
          column: 'Assigned To',
          detail: `${assignee.name} is inactive`,
        });
    }
    await this.finish(w, headerLine);
  }

  private async notes() {
    const header = [
      'Note ID',
      'Claim ID',
      'Contact ID',
      'Note Type',
      'Subject',
      'Note',
      'Created By',
      'Created Date',
      'Modified Date',
      'Pinned',
      'Confidential',
    ];
    const w = await this.open('notes.csv');
    const headerLine = await w.row(header, false);
    const count = this.n * 6;
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('note', i);
      const facts = this.claimFacts(i % this.n);
      const type = rng.pick(V.NOTE_TYPES);
      const when = facts.opened + rng.int(1, 400) * DAY;
      const style = rng.int(0, 19);
      const text =
        style === 0
          ? 'Called adj.<br>&nbsp;Left VM'
          : style === 1
            ? 'Client says "the truck never braked".\r\nWill send photos.\r\nFollow up Friday.'
            : style === 2
              ? `Per Tina O’Neil: client SSN ends ${rng.int(1000, 9999)}, DOB ${usDate(Date.UTC(1950, 0, 1) + rng.int(0, 18000) * DAY)}; dx: lumbar strain (M54.5), C5-C6 herniation`
              : style === 3
                ? 'Spoke with Tina Oâ€™Neil about the lien'
                : `${type}: discussed treatment and next steps.`;
      const orphan = rng.chance(0.01);
      // An orphan points at a contact deleted or merged away before the export (ids past the last one).
      const contact = orphan
        ? this.contactId(this.contactCount + (i % 97))
        : rng.chance(0.3)
          ? facts.client
          : '';
      const creator = this.staffMember(rng.int(0, 2));
      const line = await w.row([
        60000 + i,
        facts.id,
        contact,
        type,
        rng.chance(0.5) ? 'Update' : '',
        text,
        creator.name,
        `${usDate(when)} ${rng.int(1, 12)}:${String(rng.int(10, 59))} PM`,
        '',
        rng.chance(0.05) ? 'Y' : 'N',
        'N',
      ]);
      const key = String(60000 + i);
      if (style === 0)
        this.inject({
          code: 'html_in_notes',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Note',
          detail: text,
        });
      if (style === 1)
        this.inject({
          code: 'embedded_newline',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Note',
          detail: 'three lines with quotes',
        });
      if (style === 2)
        this.inject({
          code: 'sensitive_data',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Note',
          detail: 'diagnosis in note text',
        });
      if (style === 3)
        this.inject({
          code: 'encoding_damage',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Note',
          detail: 'Oâ€™Neil (UTF-8 read as Windows-1252)',
        });
      if (orphan)
        this.inject({
          code: 'orphan_reference',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Contact ID',
          detail: `contact ${contact} does not exist`,
        });
      if (this.omittedClaims.has(facts.id))
        this.inject({
          code: 'truncated_export',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Claim ID',
          detail: `claim ${facts.id} not in claims.csv`,
        });
    }
    await this.finish(w, headerLine);
  }

  private async documents() {
    const header = [
      'Document ID',
      'Claim ID',
      'Contact ID',
      'Folder',
      'Category',
      'File Name',
      'Description',
      'File Size (bytes)',
      'MIME Type',
      'Pages',
      'Uploaded By',
      'Uploaded Date',
      'Source',
      'Generated From Template',
      'Storage Path',
      'SHA-256',
    ];
    const w = await this.open('documents.csv');
    const headerLine = await w.row(header, false);
    const count = Math.ceil(this.n * 1.5);
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('document', i);
      const facts = this.liveClaim(i);
      const folder = rng.pick(V.DOC_FOLDERS);
      const name = `${folder} ${i}.${rng.chance(0.7) ? 'pdf' : 'txt'}`;
      const storage = `files/${facts.id}/${folder}/${name}`;
      const content = name.endsWith('.pdf')
        ? tinyPdf(`BackDocket document ${i} for claim ${facts.id}`)
        : Buffer.from(`Document ${i}\r\nClaim ${facts.id}\r\n`);
      // ~3% broken: 0 missing on disk, 1 zero bytes, 2 a SHA-256 that does not match.
      const forced = count - 1 - i; // the last three rows show each kind once, whatever the seed
      const problem = count >= 50 && forced <= 2 ? forced : rng.int(0, 99);
      const key = String(40000 + i);
      let written = content;
      if (problem !== 0) {
        if (problem === 1) written = Buffer.alloc(0);
        const path = join(this.options.outDir, storage);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, written);
      }
      const sha = problem === 2 ? '0'.repeat(64) : createHash('sha256').update(written).digest('hex');
      const line = await w.row([
        key,
        facts.id,
        rng.chance(0.2) ? facts.client : '',
        folder,
        folder,
        name,
        `${folder} for ${facts.id}`,
        written.length,
        name.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
        1,
        this.staffMember(STAFF.caseManager).name,
        usDate(facts.opened + 20 * DAY),
        rng.pick(['Upload', 'Scan', 'Email']),
        '',
        storage,
        sha,
      ]);
      if (problem <= 2) {
        const detail = problem === 0 ? 'file missing' : problem === 1 ? 'zero bytes' : 'SHA-256 mismatch';
        this.inject({
          code: 'document_missing',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Storage Path',
          detail,
        });
      }
    }
    await this.finish(w, headerLine);
  }

  private async billing() {
    const header = [
      'Entry ID',
      'Claim ID',
      'Entry Date',
      'Entry Type',
      'Category',
      'Description',
      'Payee / Payor',
      'Staff',
      'Hours',
      'Rate',
      'Amount',
      'Billable',
      'Reimbursable',
      'Trust/Operating',
      'Invoice No.',
      'Check No.',
      'Status',
      'Created By',
      'Created Date',
    ];
    const w = await this.open('billing_entries.csv');
    // A report export: title row and a blank line above the header, totals and a page footer below.
    const titleLine = w.line;
    await w.raw('Smith Law Firm — Claim Ledger Report');
    await w.raw('');
    const headerLine = await w.row(header, false);
    this.inject({
      code: 'report_artefact',
      file: w.file,
      line: titleLine,
      detail: 'title row above the header',
    });
    const count = this.n * 5;
    let total = 0;
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('billing', i);
      const facts = this.liveClaim(i);
      const type = rng.pick(V.ENTRY_TYPES);
      const amount = rng.int(20, 5000);
      const negative = type === 'Disbursement' || type === 'Refund';
      total += negative ? -amount : amount;
      // Main form "$1,250.00" / "-$350.00"; ~4% written otherwise: (350.00), N/A, a bare 1250.
      const odd = rng.chance(0.04) ? rng.int(0, 2) : -1;
      const amountText =
        odd === 1
          ? 'N/A'
          : odd === 0 && negative
            ? `(${money(amount).slice(1)})`
            : odd >= 0
              ? String(negative ? -amount : amount)
              : `${negative ? '-' : ''}${money(amount)}`;
      const oddHours = type === 'Time Entry' && rng.chance(0.05);
      const hoursText =
        type === 'Time Entry'
          ? oddHours
            ? rng.pick(['1:30', '90m', '0:15'])
            : rng.pick(['1.5', '0.25', '2'])
          : '';
      const entryDate = facts.opened + (i % 300) * DAY;
      const isoEntry = rng.chance(0.03);
      const multiLine = rng.chance(0.01);
      const key = String(88000 + i);
      const line = await w.row([
        key,
        facts.id,
        isoEntry ? isoDate(entryDate) : usDate(entryDate),
        type,
        'Records',
        multiLine ? 'Memorial Hermann ER records\r\n(rush fee incl., "certified")' : 'Records fee (rush)',
        'Memorial Hermann',
        this.staffMember(STAFF.caseManager).name,
        hoursText,
        type === 'Time Entry' ? '$350.00' : '',
        amountText,
        rng.pick(['Y', 'N']),
        rng.pick(['Y', 'N']),
        rng.pick(['Trust', 'Operating']),
        rng.chance(0.3) ? `INV-${facts.id}-01` : '',
        rng.chance(0.2) ? rng.int(10000, 19999) : '',
        rng.pick(['Paid', 'Billed', 'Deposited', 'Cleared']),
        this.staffMember(STAFF.caseManager).name,
        usDate(facts.opened),
      ]);
      if (oddHours)
        this.inject({
          code: 'hours_format',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Hours',
          detail: hoursText,
        });
      if (odd >= 0)
        this.inject({
          code: 'currency_string',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Amount',
          detail: amountText,
        });
      if (isoEntry)
        this.inject({
          code: 'mixed_date_formats',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Entry Date',
          detail: isoDate(entryDate),
        });
      if (multiLine)
        this.inject({
          code: 'embedded_newline',
          file: w.file,
          line,
          sourceKey: key,
          column: 'Description',
          detail: 'two lines with quotes',
        });
    }
    const totalsLine = w.line;
    await w.row(['', '', '', '', '', 'Total', '', '', '', '', money(total)], false);
    this.inject({ code: 'report_artefact', file: w.file, line: totalsLine, detail: 'totals row' });
    const footerLine = w.line;
    await w.raw('Page 1 of 1');
    this.inject({ code: 'report_artefact', file: w.file, line: footerLine, detail: 'page footer' });
    await this.finish(w, headerLine);
  }

  private async checkApprovals() {
    const header = [
      'Approval ID',
      'Check Request ID',
      'Claim ID',
      'Payee',
      'Payee Type',
      'Amount',
      'Purpose',
      'Bank Account',
      'Requested By',
      'Requested On',
      'Approver',
      'Approval Status',
      'Approved On',
      'Rejected Reason',
      'Check No.',
      'Printed On',
      'Cleared On',
      'Void',
      'Comments',
    ];
    const w = await this.open('check_approvals.csv');
    const headerLine = await w.row(header, false);
    const count = Math.ceil(this.n * 0.5);
    for (let i = 0; i < count; i += 1) {
      const rng = this.rng('check', i);
      const facts = this.liveClaim(i);
      await w.row([
        20000 + i,
        30000 + i,
        facts.id,
        'Memorial Hermann',
        rng.pick(['Client', 'Medical Provider', 'Lienholder', 'Vendor']),
        money(rng.int(100, 9000)),
        'Medical bill',
        'Trust',
        this.staffMember(STAFF.caseManager).name,
        usDate(facts.opened),
        this.staffMember(0).name,
        rng.pick(['Pending', 'Approved', 'Printed']),
        '',
        '',
        '',
        '',
        '',
        'N',
        '',
      ]);
    }
    await this.finish(w, headerLine);
  }

  private async templates() {
    const header = [
      'Template ID',
      'Template Name',
      'Category',
      'Claim Type',
      'Merge Fields',
      'Last Modified',
      'Active',
    ];
    const w = await this.open('document_templates.csv');
    const headerLine = await w.row(header, false);
    const names = [
      'Retainer Agreement',
      'Letter of Representation',
      'Records Request',
      'Demand Letter',
      'Lien Request',
      'Settlement Statement',
      'Closing Letter',
      'HIPAA Authorization',
      'Preservation Letter',
      'Referral Agreement',
      'Fee Agreement',
      'Status Update',
      'Medical Summary',
      'Subpoena Cover',
      'Thank You Letter',
    ];
    for (const [index, name] of names.entries()) {
      await w.row([
        index + 1,
        name,
        'Correspondence',
        index % 3 === 0 ? 'Auto' : 'All',
        '{{Client Name}};{{Claim Number}};{{Date of Incident}}',
        '01/15/2023',
        'Yes',
      ]);
    }
    await this.finish(w, headerLine);
  }

  private async writeManifest(path: string): Promise<void> {
    const stream = createWriteStream(path);
    const write = async (text: string) => {
      if (!stream.write(text)) await once(stream, 'drain');
    };
    const files = Object.fromEntries(
      this.files.map((file) => [
        file.file,
        {
          rows: file.rows,
          encoding: file.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8',
          bom: file.encoding === 'utf-8-bom',
          lineEnding: 'CRLF',
          headerLine: file.headerLine,
        },
      ]),
    );
    await write(
      `{"generator":"ferry","version":1,"seed":${this.options.seed},"records":${this.n},"files":${JSON.stringify(files)},"counts":${JSON.stringify(sortedCounts(this.counts))},"injected":[\n`,
    );
    for await (const chunk of createReadStream(this.spoolPath, { encoding: 'utf8' }))
      await write(chunk as string);
    await write('\n]}\n');
    stream.end();
    await once(stream, 'finish');
  }
}

/** Counts in the order of DATA_QUALITY_PROBLEMS, so the manifest and the CLI table read the same. */
function sortedCounts(
  counts: Partial<Record<DataQualityCode, number>>,
): Partial<Record<DataQualityCode, number>> {
  const sorted: Partial<Record<DataQualityCode, number>> = {};
  for (const { code } of DATA_QUALITY_PROBLEMS) if (counts[code]) sorted[code] = counts[code];
  return sorted;
}

/** murmur3's finaliser: spreads an index over 32 bits so neighbouring rows get unrelated streams. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function historyPath(status: string): string[] {
  if (status === 'Chase Call' || status === 'No Decision')
    return V.STATUS_PATH.slice(0, V.STATUS_PATH.indexOf(status) + 1);
  if (status === 'Referral Pending' || status === 'Referred' || status === 'Rejected')
    return ['Chase Call', status];
  if (status === 'Closed') return [...V.STATUS_PATH, 'Closed'];
  return V.STATUS_PATH.slice(0, V.STATUS_PATH.indexOf(status) + 1);
}

function shortType(type: string): string {
  if (type === 'Medical Malpractice') return 'Med Mal:';
  if (type === "Workers' Comp") return 'WC:';
  if (type === 'Family Law') return 'Family:';
  return `${type}:`;
}

function accent(name: string): string {
  return name
    .replace('Gonzalez', 'González')
    .replace('Munoz', 'Muñoz')
    .replace('Lopez', 'López')
    .replace('Martinez', 'Martínez');
}

function usDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function excelSerial(ms: number): number {
  return Math.round(ms / DAY + 25569);
}

function money(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function formatPhone(rng: Random, salt: number): string {
  const area = rng.pick(['713', '281', '832']);
  const line = String(1000 + ((salt * 7919 + rng.int(0, 8999)) % 9000)).padStart(4, '0');
  const style = rng.int(0, 3);
  return style === 0
    ? `(${area}) 555-${line}`
    : style === 1
      ? `${area}.555.${line}`
      : style === 2
        ? `${area}-555-${line}`
        : `+1 ${area} 555 ${line}`;
}

/** A minimal valid one-page PDF carrying `text`. */
function tinyPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
