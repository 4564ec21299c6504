import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  confirmWorkspaceMapping,
  proposeWorkspaceMapping,
  sqliteMappingStore,
} from '../../src/mapping/index.ts';
import { clientFromEnv } from '../../src/pipedrive/client-from-env.ts';
import { applySchema } from '../../src/run/apply-schema.ts';
import { migrate } from '../../src/run/migrate.ts';
import { loadMapping, openSession } from '../../src/run/session.ts';
import { startSimServer } from '../../src/sim/index.ts';
import { extractExport, extractInMemory, iterateRows } from '../../src/source/backdocket/index.ts';
import { initWorkspace } from '../../src/workspace/workspace.ts';
import { setFallbackOwner } from '../helpers/fallback-owner.ts';
import type { EntityTruth, EvalExport, TruthFile } from './build-eval-set.ts';

/**
 * End-to-end scoring of one styled export: extract → propose → confirm (automatically, with a fallback
 * owner) → schema apply → full migration into the simulator over a real socket; then, against the ground
 * truth, how many of the references the export carries arrived as links in Pipedrive (per relationship),
 * and whether every row keeps its identity when the same data is exported again, re-sorted.
 */

export const RELATIONSHIPS = [
  'deal→person',
  'deal→organization',
  'person→organization',
  'activity→deal',
  'note→deal',
  'file→deal',
  'activity→person',
  'note→person',
  'lead→person',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export interface LinkTally {
  /** References the export carries whose parent is in the export. */
  references: number;
  /** Of those, how many arrived as the right link. */
  linked: number;
  misses: string[];
}

export interface MigrationScore {
  readonly style: string;
  readonly links: Record<Relationship, LinkTally>;
  readonly identities: { rows: number; stable: number; misses: string[] };
  /** Records in the simulator after the run, per entity. */
  readonly records: Record<string, number>;
  /** Rows that made no record, by file, outcome and reason (for reading misses). */
  readonly settled?: readonly string[];
  readonly error?: string;
}

const ADMIN = 'admin@smithlawfirm.com';

type Rec = Record<string, unknown>;
interface SimState {
  entities: Record<string, Rec[]>;
  fields: Record<string, { field_code: string; field_name: string }[]>;
}

/** Runs the whole job on one styled export and scores links and identities. */
export async function scoreMigration(set: EvalExport): Promise<MigrationScore> {
  const links = Object.fromEntries(
    RELATIONSHIPS.map((r) => [r, { references: 0, linked: 0, misses: [] }]),
  ) as unknown as Record<Relationship, LinkTally>;
  const identities = await scoreIdentities(set);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-eval-'));
  const sim = await startSimServer({
    port: 0,
    seed: `eval-${set.style.name}`,
    plan: 'premium',
    rateLimits: false,
    users: [{ name: 'Firm Admin', email: ADMIN }],
  });
  try {
    const exportDir = join(dir, 'export');
    for (const file of set.files) {
      const path = join(exportDir, file.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    initWorkspace({ dir, source: exportDir });
    // What a person would set in ferry.yaml for an export whose dates are day-first.
    if (['dmy', 'dmy-dots'].includes(set.style.dates)) {
      const configPath = join(dir, 'ferry.yaml');
      writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('dateOrder: MDY', 'dateOrder: DMY'));
    }
    const session = openSession(dir);
    try {
      await extractExport({ store: session.store, sourceDir: exportDir });
      await proposeWorkspaceMapping(session.workspace, sqliteMappingStore(session.store));
      setFallbackOwner(session.workspace.mappingPath, ADMIN);
      confirmWorkspaceMapping(session.workspace, sqliteMappingStore(session.store), {
        confirmedBy: 'evaluation',
      });
      const { mapping, hash } = loadMapping(session, { confirmed: true });
      const client = clientFromEnv(
        { PIPEDRIVE_BASE_URL: sim.url, PIPEDRIVE_API_TOKEN: sim.token },
        { plan: 'premium', seats: 5 },
      );
      const schemaRun = session.journal.startRun('schema', { mappingHash: hash });
      await applySchema({ client, journal: session.journal, runId: schemaRun, mapping });
      session.journal.finishRun(schemaRun, 'completed', {});
      await migrate({ session, mapping, mappingHash: hash, client, mode: 'full' });
      const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as SimState;
      // Row identity (`<object>:<source key>`, as the planner writes it) → the entity the row holds.
      const entityOfIdentity = new Map<string, string>();
      for (const truth of set.truth) {
        const object = mapping.objects.find((o) => o.file === truth.file)?.object;
        if (!object) continue;
        const byLine = new Map(truth.rows.map((row) => [row.line, row.key]));
        for (const row of iterateRows(session.store, truth.file)) {
          const key = byLine.get(row.line);
          if (key) entityOfIdentity.set(`${object}:${row.sourceKey}`, key);
        }
      }
      scoreLinks({ set, state, entityOfIdentity, links });
      const records = Object.fromEntries(
        ['persons', 'organizations', 'deals', 'leads', 'activities', 'notes', 'files'].map((entity) => [
          entity,
          (state.entities[entity] ?? []).filter((r) => r.is_deleted !== true).length,
        ]),
      );
      const settled = (
        session.store.db
          .prepare(
            `SELECT file, outcome, reason, count(*) AS n FROM row_outcomes WHERE outcome NOT IN ('migrated', 'updated')
             GROUP BY file, outcome, reason ORDER BY n DESC LIMIT 12`,
          )
          .all() as { file: string; outcome: string; reason: string; n: number }[]
      ).map((r) => `${r.file}: ${r.n} ${r.outcome} (${r.reason})`);
      return { style: set.style.name, links, identities, records, settled };
    } finally {
      session.close();
    }
  } catch (error) {
    return {
      style: set.style.name,
      links,
      identities,
      records: {},
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every row's source key after a re-sorted re-export, compared with the first export's. */
async function scoreIdentities(set: EvalExport): Promise<MigrationScore['identities']> {
  const again = await set.reexport();
  const keysOf = async (files: { name: string; content: Buffer }[], truth: readonly TruthFile[]) => {
    const { rows } = await extractInMemory(files);
    const out = new Map<string, string>();
    for (const file of truth) {
      const byLine = new Map(file.rows.map((row) => [row.line, row.key]));
      for (const row of rows) {
        if (row.file !== file.file) continue;
        const key = byLine.get(row.line);
        if (key) out.set(`${file.file}\u0000${key}`, row.sourceKey);
      }
    }
    return out;
  };
  const before = await keysOf(set.files, set.truth);
  const after = await keysOf(again.files, again.truth);
  const misses: string[] = [];
  let stable = 0;
  for (const [row, key] of before) {
    if (after.get(row) === key) stable += 1;
    else if (misses.length < 20) {
      const [file, entity] = row.split('\u0000');
      misses.push(`${file} ${entity}: key "${key}" became "${after.get(row) ?? 'missing'}"`);
    }
  }
  return { rows: before.size, stable, misses };
}

const normal = (text: unknown) =>
  String(text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

function scoreLinks(input: {
  set: EvalExport;
  state: SimState;
  entityOfIdentity: ReadonlyMap<string, string>;
  links: Record<Relationship, LinkTally>;
}): void {
  const { set, state, entityOfIdentity, links } = input;
  const live = (entity: string) => (state.entities[entity] ?? []).filter((r) => r.is_deleted !== true);
  const fieldKey = (entity: string, name: string) =>
    state.fields[entity]?.find((field) => field.field_name === name)?.field_code;
  const identityOf = (record: Rec, entity: 'deal' | 'person' | 'organization') => {
    const key = fieldKey(entity, 'BackDocket ID');
    const custom = (record.custom_fields ?? {}) as Rec;
    return key ? String(custom[key] ?? '') : '';
  };
  const markerOf = (text: unknown) => /\[BackDocket ([^\]]+)\]/.exec(String(text ?? ''))?.[1];

  // Entities of the truth by name (contacts, companies) and Pipedrive records by id.
  const entities = set.entities;
  const byName = (object: string) => {
    const out = new Map<string, string>();
    for (const entity of entities.values())
      if (entity.object === object) out.set(normal(entity.name), entity.key);
    return out;
  };
  const contactByName = byName('contact');
  const companyByName = byName('company');
  const persons = new Map(live('persons').map((r) => [r.id as number, r]));
  const organizations = new Map(live('organizations').map((r) => [r.id as number, r]));
  const contactOfPerson = (id: unknown) => contactByName.get(normal(persons.get(id as number)?.name));
  const companyOfOrg = (id: unknown) => companyByName.get(normal(organizations.get(id as number)?.name));
  const dealOf = new Map<string, Rec>();
  for (const deal of live('deals')) {
    const entity = entityOfIdentity.get(identityOf(deal, 'deal'));
    if (entity) dealOf.set(entity, deal);
  }
  const personOfContact = new Map<string, Rec>();
  for (const person of persons.values()) {
    const contact = contactOfPerson(person.id);
    if (contact) personOfContact.set(contact, person);
  }
  const recordOfRow = new Map<string, Rec & { kind: string }>();
  for (const activity of live('activities')) {
    const entity = entityOfIdentity.get(markerOf(activity.note) ?? '');
    if (entity) recordOfRow.set(entity, { ...activity, kind: 'activity' });
  }
  for (const note of live('notes')) {
    const entity = entityOfIdentity.get(markerOf(note.content) ?? '');
    if (entity) recordOfRow.set(entity, { ...note, kind: 'note' });
  }
  const leadKey = fieldKey('deal', 'BackDocket ID');
  for (const lead of live('leads')) {
    const entity = entityOfIdentity.get(leadKey ? String(lead[leadKey] ?? '') : '');
    if (entity) recordOfRow.set(entity, { ...lead, kind: 'lead' });
  }
  const statusNoteDeals = new Set(
    live('notes')
      .filter((note) => /^status_history:/.test(markerOf(note.content) ?? ''))
      .map((note) => note.deal_id),
  );

  // Which entities are in the export (rows of its files, and rows carried along in another object's
  // file), and which canonical columns each styled file carries.
  const present = new Set(set.truth.flatMap((f) => f.rows.map((r) => r.key)));
  for (const merge of set.style.merge ?? []) {
    for (const row of set.truth.filter((f) => f.object === merge.into).flatMap((f) => f.rows)) {
      const parent = entities.get(row.key)?.refs.get(merge.via);
      if (parent) present.add(parent);
    }
  }
  const carried = new Set(
    set.truth.flatMap((f) =>
      f.columns.flatMap((c) => (c.carries ? [`${c.carries.object}:${c.carries.header}`] : [])),
    ),
  );
  const rowsOf = (object: string) =>
    [...new Set(set.truth.filter((f) => f.object === object).flatMap((f) => f.rows.map((r) => r.key)))]
      .map((key) => entities.get(key))
      .filter((e): e is EntityTruth => e !== undefined);
  const refOf = (entity: EntityTruth, header: string) => {
    const parent = entity.refs.get(header);
    if (!carried.has(`${entity.object}:${header}`) || !parent || !present.has(parent)) return undefined;
    return parent;
  };
  const tally = (relationship: Relationship, ok: boolean, miss: () => string) => {
    const t = links[relationship];
    t.references += 1;
    if (ok) t.linked += 1;
    else if (t.misses.length < 10) t.misses.push(miss());
  };

  // deal → person / organization: the claim's client and its parties.
  const dealPeople = new Map<string, Set<string>>();
  const dealOrgs = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, claim: string, parent: string) => {
    const list = map.get(claim) ?? new Set<string>();
    list.add(parent);
    map.set(claim, list);
  };
  for (const claim of rowsOf('claim')) {
    const client = refOf(claim, 'Client Contact ID');
    if (client) add(dealPeople, claim.key, client);
  }
  for (const party of rowsOf('claim_contact')) {
    const claim = refOf(party, 'Claim ID');
    if (!claim) continue;
    const contact = refOf(party, 'Contact ID');
    if (contact) add(dealPeople, claim, contact);
    const company = refOf(party, 'Company ID');
    if (company) add(dealOrgs, claim, company);
  }
  for (const [claim, expected] of dealPeople) {
    const deal = dealOf.get(claim);
    const got = deal ? contactOfPerson(deal.person_id) : undefined;
    tally('deal→person', got !== undefined && expected.has(got), () =>
      deal
        ? `${claim}: person ${got ?? deal.person_id ?? 'none'} ∉ {${[...expected].join(', ')}}`
        : `${claim}: no deal`,
    );
  }
  for (const [claim, expected] of dealOrgs) {
    const deal = dealOf.get(claim);
    const got = deal ? companyOfOrg(deal.org_id) : undefined;
    tally('deal→organization', got !== undefined && expected.has(got), () =>
      deal
        ? `${claim}: organization ${got ?? deal.org_id ?? 'none'} ∉ {${[...expected].join(', ')}}`
        : `${claim}: no deal`,
    );
  }
  // person → organization: by id, or by name when the contacts file names the company.
  for (const contact of rowsOf('contact')) {
    const company = refOf(contact, 'Company ID') ?? refOf(contact, 'Company Name');
    if (!company) continue;
    const person = personOfContact.get(contact.key);
    const got = person ? companyOfOrg(person.org_id) : undefined;
    tally('person→organization', got === company, () =>
      person
        ? `${contact.key}: organization ${got ?? person.org_id ?? 'none'} ≠ ${company}`
        : `${contact.key}: no person`,
    );
  }
  // Children of claims.
  const childOf = (object: string, relationship: Relationship) => {
    for (const row of rowsOf(object)) {
      const claim = refOf(row, 'Claim ID');
      if (!claim) continue;
      const deal = dealOf.get(claim);
      const record = recordOfRow.get(row.key);
      tally(
        relationship,
        deal !== undefined && record?.deal_id === deal.id,
        () =>
          `${row.key}: ${record ? `deal ${String(record.deal_id ?? 'none')}` : 'no record'}, expected ${claim}${deal ? ` (deal ${String(deal.id)})` : ' (no deal)'}`,
      );
    }
  };
  childOf('event', 'activity→deal');
  childOf('task', 'activity→deal');
  childOf('note', 'note→deal');
  for (const row of rowsOf('status_history')) {
    const claim = refOf(row, 'Claim ID');
    if (!claim) continue;
    const deal = dealOf.get(claim);
    tally(
      'note→deal',
      deal !== undefined && statusNoteDeals.has(deal.id),
      () => `${row.key}: no status history note on ${claim}${deal ? '' : ' (no deal)'}`,
    );
  }
  const files = live('files');
  for (const row of rowsOf('document')) {
    const claim = refOf(row, 'Claim ID');
    if (!claim) continue;
    const deal = dealOf.get(claim);
    const name = row.texts.get('File Name') ?? '';
    const base = name.replace(/\.[a-z0-9]+$/i, '');
    const file = files.find(
      (f) => String(f.file_name ?? '').startsWith(`${base}_`) && f.deal_id === deal?.id,
    );
    tally(
      'file→deal',
      deal !== undefined && file !== undefined,
      () => `${row.key}: no file "${name}" on ${claim}`,
    );
  }
  // People on activities and notes.
  const participantsOf = (record: Rec | undefined) =>
    ((record?.participants ?? []) as Rec[]).map((p) => contactOfPerson(p.person_id));
  for (const event of rowsOf('event')) {
    const contact = refOf(event, 'Contact Attendees');
    if (!contact) continue;
    const record = recordOfRow.get(event.key);
    tally(
      'activity→person',
      participantsOf(record).includes(contact),
      () =>
        `${event.key}: ${record ? `participants [${participantsOf(record).join(', ')}]` : 'no activity'}, expected ${contact}`,
    );
  }
  for (const note of rowsOf('note')) {
    const contact = refOf(note, 'Contact ID');
    if (!contact) continue;
    const record = recordOfRow.get(note.key);
    if (record?.kind === 'activity') {
      tally(
        'activity→person',
        participantsOf(record).includes(contact),
        () => `${note.key}: participants [${participantsOf(record).join(', ')}], expected ${contact}`,
      );
    } else {
      tally(
        'note→person',
        record !== undefined && contactOfPerson(record.person_id) === contact,
        () =>
          `${note.key}: ${record ? `person ${String(record.person_id ?? 'none')}` : 'no record'}, expected ${contact}`,
      );
    }
  }
  // lead → person: the caller (a person made from the intake line), by name.
  for (const intake of rowsOf('intake')) {
    if (!carried.has('intake:Caller Name')) break;
    const caller = intake.texts.get('Caller Name');
    if (!caller) continue;
    const lead = recordOfRow.get(intake.key);
    const person = lead ? persons.get(lead.person_id as number) : undefined;
    tally(
      'lead→person',
      normal(person?.name) === normal(caller),
      () =>
        `${intake.key}: ${lead ? `person "${String(person?.name ?? 'none')}"` : 'no lead'}, expected "${caller}"`,
    );
  }
}

/** The end-to-end figures as Markdown: per style, identities and link coverage per relationship. */
export function renderMigrationScores(scores: readonly MigrationScore[]): string {
  const pct = (a: number, b: number) => (b === 0 ? '-' : `${((a / b) * 100).toFixed(1)}%`);
  const short: Record<Relationship, string> = {
    'deal→person': 'deal→person',
    'deal→organization': 'deal→org',
    'person→organization': 'person→org',
    'activity→deal': 'activity→deal',
    'note→deal': 'note→deal',
    'file→deal': 'file→deal',
    'activity→person': 'activity→person',
    'note→person': 'note→person',
    'lead→person': 'lead→person',
  };
  const lines = [
    `| style | identities stable | ${RELATIONSHIPS.map((r) => short[r]).join(' | ')} | links |`,
    `|---|---|${RELATIONSHIPS.map(() => '---').join('|')}|---|`,
  ];
  const totals = Object.fromEntries(RELATIONSHIPS.map((r) => [r, { references: 0, linked: 0 }])) as Record<
    Relationship,
    { references: number; linked: number }
  >;
  let rows = 0;
  let stable = 0;
  for (const score of scores) {
    rows += score.identities.rows;
    stable += score.identities.stable;
    let references = 0;
    let linked = 0;
    const cells = RELATIONSHIPS.map((r) => {
      const t = score.links[r];
      totals[r].references += t.references;
      totals[r].linked += t.linked;
      references += t.references;
      linked += t.linked;
      return t.references === 0 ? '-' : `${t.linked}/${t.references}`;
    });
    lines.push(
      `| ${score.style}${score.error ? ` (failed: ${score.error.slice(0, 60)})` : ''} | ${score.identities.stable}/${score.identities.rows} | ${cells.join(' | ')} | ${pct(linked, references)} |`,
    );
  }
  const allReferences = RELATIONSHIPS.reduce((n, r) => n + totals[r].references, 0);
  const allLinked = RELATIONSHIPS.reduce((n, r) => n + totals[r].linked, 0);
  lines.push(
    `| **all** | ${pct(stable, rows)} | ${RELATIONSHIPS.map((r) => pct(totals[r].linked, totals[r].references)).join(' | ')} | ${pct(allLinked, allReferences)} |`,
  );
  lines.push(
    '',
    `Link coverage: ${pct(allLinked, allReferences)} of ${allReferences} references (target ≥ 99%) · identities stable under a re-sorted re-export: ${pct(stable, rows)} of ${rows} rows (target 100%)`,
  );
  return lines.join('\n');
}
