import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { DataQualityCode } from '../problems.ts';
import { CsvWriter, type FileEncoding } from './csv-writer.ts';
import { writeBilling } from './files/billing.ts';
import { writeCheckApprovals } from './files/check-approvals.ts';
import { writeClaimContacts } from './files/claim-contacts.ts';
import { writeClaimStaff } from './files/claim-staff.ts';
import { writeClaimTypes } from './files/claim-types.ts';
import { writeClaims } from './files/claims.ts';
import { writeCompanies } from './files/companies.ts';
import { writeContacts } from './files/contacts.ts';
import { writeDocuments } from './files/documents.ts';
import { writeEvents } from './files/events.ts';
import { writeIntake } from './files/intake.ts';
import { writeNotes } from './files/notes.ts';
import { writeStaff } from './files/staff.ts';
import { writeStatusHistory } from './files/status-history.ts';
import { writeTasks } from './files/tasks.ts';
import { writeTemplates } from './files/templates.ts';
import { DAY, EPOCH, FIRM_DOMAIN, mix32, STAFF, sortedCounts } from './format.ts';
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

export interface Injection {
  readonly code: DataQualityCode;
  readonly file: string;
  readonly line?: number | undefined;
  readonly sourceKey?: string | undefined;
  readonly column?: string | undefined;
  readonly detail: string;
}

/**
 * What every file of a generated export shares: the options, the seeded streams, the ids and facts every
 * file derives from an index (so nothing is held in memory), the injection spool and the manifest. The
 * files themselves are written by one module each (files/).
 */
export class ExportContext {
  readonly options: GenerateOptions;
  readonly n: number;
  /** Injections go to a spool file as they happen (a large export has hundreds of thousands). */
  spoolPath = '';
  spoolFd = -1;
  spool: string[] = [];
  spoolChars = 0;
  spooled = 0;
  readonly counts: Partial<Record<DataQualityCode, number>> = {};
  readonly streamSeeds = new Map<string, number>();
  readonly files: { file: string; rows: number; encoding: FileEncoding; headerLine: number }[] = [];
  readonly staffCount: number;
  readonly contactCount: number;
  readonly companyCount: number;
  /** Claims left out of claims.csv, as a permission-filtered export would (their children still point at them). */
  readonly omittedClaims = new Set<number>();

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

  async writeAll(): Promise<GenerateResult> {
    await writeStaff(this);
    await writeCompanies(this);
    await writeContacts(this);
    await writeClaimTypes(this);
    await writeClaims(this);
    await writeClaimContacts(this);
    await writeClaimStaff(this);
    await writeStatusHistory(this);
    await writeIntake(this);
    await writeEvents(this);
    await writeTasks(this);
    await writeNotes(this);
    await writeDocuments(this);
    await writeBilling(this);
    await writeCheckApprovals(this);
    await writeTemplates(this);
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
  rng(stream: string, index = 0): Random {
    let base = this.streamSeeds.get(stream);
    if (base === undefined) {
      base = createHash('sha256').update(`${this.options.seed}:${stream}`).digest().readUInt32LE(0);
      this.streamSeeds.set(stream, base);
    }
    return new Random(mix32(base ^ mix32(index + 0x9e3779b9)));
  }
  claimId = (i: number) => 1000 + i;
  contactId = (i: number) => 5000 + i;
  companyId = (i: number) => 300 + i;
  staffId = (i: number) => 10 + i;

  readonly staffCache = new Map<number, ReturnType<ExportContext['buildStaff']>>();
  staffMember(i: number) {
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
  buildStaff(i: number) {
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
  attorney(claim: number) {
    const rng = this.rng('lead', claim);
    if (this.staffCount > STAFF.tina + 1 && rng.chance(0.02)) {
      const index = rng.int(STAFF.tina + 1, this.staffCount - 1);
      if (!this.staffMember(index).active) return this.staffMember(index);
    }
    return this.staffMember(rng.int(0, 2));
  }
  claimNumber(i: number, opened: number) {
    return `BD-${new Date(opened).getUTCFullYear()}-${String(i).padStart(4, '0')}`;
  }
  /** The claim a child row of index `k` belongs to, skipping claims left out of claims.csv. */
  liveClaim(k: number) {
    let index = k % this.n;
    while (this.omittedClaims.has(this.claimId(index))) index = (index + 1) % this.n;
    return this.claimFacts(index);
  }
  claimFacts(i: number) {
    const rng = this.rng('claim', i);
    const type = i < V.CLAIM_TYPES.length ? V.CLAIM_TYPES[i]! : rng.pick(V.CLAIM_TYPES.slice(0, 10));
    const status = rng.pick(V.STATUSES);
    const opened = EPOCH + rng.int(0, 1400) * DAY;
    return { id: this.claimId(i), type, status, opened, client: this.contactId((i * 2) % this.contactCount) };
  }
  contactName(i: number) {
    const rng = this.rng('contact', i);
    return { first: rng.pick(V.FIRST_NAMES), last: rng.pick(V.LAST_NAMES) };
  }

  inject(injection: Injection): void {
    this.counts[injection.code] = (this.counts[injection.code] ?? 0) + 1;
    const text = JSON.stringify(injection);
    this.spool.push(this.spooled === 0 ? text : `,\n${text}`);
    this.spooled += 1;
    this.spoolChars += text.length;
    if (this.spoolChars > 1 << 16) this.flushSpool();
  }

  flushSpool(): void {
    if (this.spool.length === 0) return;
    writeSync(this.spoolFd, this.spool.join(''));
    this.spool = [];
    this.spoolChars = 0;
  }

  async open(file: string, encoding: FileEncoding = 'utf-8') {
    const onProgress = this.options.onProgress;
    return new CsvWriter({
      path: join(this.options.outDir, file),
      file,
      encoding,
      signal: this.options.signal,
      onRows: onProgress && ((rows) => onProgress({ file, rows })),
    });
  }

  async finish(writer: CsvWriter, headerLine: number): Promise<void> {
    await writer.close();
    this.files.push({ file: writer.file, rows: writer.rows, encoding: writer.encoding, headerLine });
    this.options.onProgress?.({ file: writer.file, rows: writer.rows });
    if (this.options.signal?.aborted) throw this.options.signal.reason;
  }

  async writeManifest(path: string): Promise<void> {
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
