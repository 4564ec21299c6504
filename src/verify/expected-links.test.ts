import { describe, expect, it } from 'vitest';
import type { PlannedRecord } from '../core/records.ts';
import type { FileMapping, Mapping } from '../mapping/mapping-schema.ts';
import type { SourceRow } from '../source/model.ts';
import { assembleLinkCoverage, linkCoverageIssues, PlannedLinks } from '../validate/link-coverage.ts';
import { diffLinks, type LinkedRecord, linkIds, type RecordsByIdentity } from './diff-links.ts';
import { deriveLinkExpectations, LINK_RELATIONSHIPS, type LinkExpectation } from './expected-links.ts';

const file = (
  name: string,
  object: FileMapping['object'],
  entity: FileMapping['entity'],
  fields: [string, string | null][],
  keyColumn?: string | null,
): FileMapping => ({
  file: name,
  object,
  entity,
  ...(keyColumn !== undefined ? { keyColumn } : {}),
  fields: fields.map(([column, target]) => ({ column, target })),
});

/** A mapping as a person could have written it: keys under '#'-style headers, references by link fields and ref: targets. */
const mapping = {
  duplicates: { contacts: 'email' },
  objects: [
    file(
      'people.csv',
      'contact',
      'person',
      [
        ['Contact #', 'person.ref:contact'],
        ['Is Client ID', null],
        ['Name', 'person.name'],
        ['Employer', 'person.org_id'],
      ],
      'Contact #',
    ),
    file('firms.csv', 'company', 'organization', [
      ['Firm No', 'organization.ref:company'],
      ['Firm', 'organization.name'],
    ]),
    file(
      'matters.csv',
      'claim',
      'deal',
      [
        ['Matter #', 'deal.ref:claim'],
        ['Title', 'deal.title'],
        ['Client', 'deal.person_id'],
      ],
      'Matter #',
    ),
    file(
      'matter_parties.csv',
      'claim_contact',
      'deal',
      [
        ['Matter', 'deal.ref:claim'],
        ['Party', 'deal.person_id'],
        ['Party Firm', 'deal.org_id'],
      ],
      null,
    ),
    file('calendar.csv', 'event', 'activity', [
      ['Event', 'activity.ref:event'],
      ['Matter', 'activity.deal_id'],
      ['With', 'activity.ref:contact'],
    ]),
    file('notes.csv', 'note', 'note', [
      ['Note', 'note.ref:note'],
      ['Matter', 'note.deal_id'],
    ]),
    file('intake.csv', 'intake', 'lead', [
      ['Intake', 'lead.ref:intake'],
      ['Caller', 'person.name'],
      ['Matter', 'lead.ref:claim'],
    ]),
  ],
} as unknown as Mapping;

let line = 1;
const row = (fileName: string, sourceKey: string, values: Record<string, string>): SourceRow => ({
  file: fileName,
  line: ++line,
  sourceKey,
  contentHash: '',
  values,
});
const rows: Record<string, SourceRow[]> = {
  'people.csv': [
    row('people.csv', '501', { 'Contact #': '501', 'Is Client ID': 'Y', Name: 'Maria', Employer: '7' }),
    row('people.csv', '502', { 'Contact #': '502', 'Is Client ID': 'N', Name: 'María', Employer: '' }),
    // A key the store keeps differently from the cell (trimmed, or hashed): references use the cell.
    row('people.csv', 'h:abc', { 'Contact #': 'C-9', Name: 'Earl', Employer: 'Nope' }),
  ],
  'firms.csv': [row('firms.csv', '7', { 'Firm No': '7', Firm: 'Acme' })],
  'matters.csv': [
    row('matters.csv', '1042', { 'Matter #': '1042', Title: 'A', Client: '502' }),
    row('matters.csv', '1043', { 'Matter #': '1043', Title: 'B', Client: '' }),
    row('matters.csv', '1044', { 'Matter #': '1044', Title: 'C', Client: 'Y' }),
  ],
  'matter_parties.csv': [
    row('matter_parties.csv', 'h:1', { Matter: '1043', Party: 'C-9', 'Party Firm': '7' }),
    row('matter_parties.csv', 'h:2', { Matter: '1043', Party: '501', 'Party Firm': '' }),
    row('matter_parties.csv', 'h:3', { Matter: '1042', Party: '501', 'Party Firm': '' }),
  ],
  'calendar.csv': [
    row('calendar.csv', 'E1', { Event: 'E1', Matter: '1042', With: '501' }),
    row('calendar.csv', 'E2', { Event: 'E2', Matter: '9999', With: '' }),
  ],
  'notes.csv': [row('notes.csv', 'N1', { Note: 'N1', Matter: '1043' })],
  'intake.csv': [
    row('intake.csv', 'I1', { Intake: 'I1', Caller: 'Jo Caller', Matter: '' }),
    row('intake.csv', 'I2', { Intake: 'I2', Caller: '', Matter: '1042' }),
  ],
};
const readRows = (name: string) => rows[name] ?? [];
const merged = new Map([['502', '501']]);
const derive = () => [...deriveLinkExpectations({ mapping, readRows, mergedInto: (key) => merged.get(key) })];
const parentsOf = (expectations: LinkExpectation[], relationship: string, child: string) =>
  expectations
    .find((e) => e.relationship === relationship && e.child.identity === child)
    ?.parents.map((p) => p.identity ?? `unresolved:${p.source.value}`);

describe('deriveLinkExpectations', () => {
  const expectations = derive();

  it("resolves a claim's own reference through the contacts' key column, merged contacts to the one they merge into", () => {
    expect(parentsOf(expectations, 'deal→person', 'claim:1042')).toEqual(['contact:501']);
    expect(parentsOf(expectations, 'deal→person', 'claim:1044')).toEqual(['unresolved:Y']);
  });

  it('takes the claim-contact rows of a claim that names no client itself, any of them right', () => {
    expect(parentsOf(expectations, 'deal→person', 'claim:1043')).toEqual(['contact:h:abc', 'contact:501']);
    expect(parentsOf(expectations, 'deal→organization', 'claim:1043')).toEqual(['company:7']);
    expect(parentsOf(expectations, 'deal→organization', 'claim:1042')).toBeUndefined();
  });

  it('reads ref: targets to other objects as references, and reports what does not resolve', () => {
    expect(parentsOf(expectations, 'activity→person', 'event:E1')).toEqual(['contact:501']);
    expect(parentsOf(expectations, 'activity→deal', 'event:E2')).toEqual(['unresolved:9999']);
    expect(parentsOf(expectations, 'note→deal', 'note:N1')).toEqual(['claim:1043']);
    expect(parentsOf(expectations, 'person→organization', 'contact:h:abc')).toEqual(['unresolved:Nope']);
  });

  it('gives a lead its caller, or the client of the claim it names', () => {
    expect(parentsOf(expectations, 'lead→person', 'intake:I1')).toEqual(['intake_caller:I1']);
    expect(parentsOf(expectations, 'lead→person', 'intake:I2')).toEqual(['contact:501']);
  });

  it('names the row and column of every reference', () => {
    const deal = expectations.find(
      (e) => e.child.identity === 'claim:1043' && e.relationship === 'deal→person',
    );
    expect(deal?.child).toEqual({ identity: 'claim:1043', file: 'matters.csv', line: 7, sourceKey: '1043' });
    expect(deal?.parents[0]?.source).toMatchObject({
      file: 'matter_parties.csv',
      column: 'Party',
      value: 'C-9',
    });
  });
});

describe('assembleLinkCoverage and the gate', () => {
  it('counts references and links per relationship and blocks below 99%, naming file, column and rows', () => {
    const coverage = assembleLinkCoverage(derive());
    const deals = coverage.find((c) => c.relationship === 'deal→person');
    expect(deals).toMatchObject({ withReference: 3, resolved: 2, linked: 2, notPlanned: 0 });
    const issues = linkCoverageIssues(coverage);
    const dealIssue = issues.find((i) => i.message.startsWith('deal→person'));
    expect(dealIssue).toMatchObject({
      code: 'link_coverage_low',
      severity: 'error',
      file: 'matters.csv',
      field: 'Client',
    });
    expect(dealIssue?.message).toContain('only 2 of 3 reference(s) will be linked (66.6%, below 99%)');
    expect(dealIssue?.message).toContain('1 of them name no row of the contact file (e.g. "Y")');
    expect(dealIssue?.examples).toEqual([{ file: 'matters.csv', line: 8, sourceKey: '1044' }]);
    expect(dealIssue?.fix).toMatch(/keyColumn is its id column/);
    // Relationships without references are not gated.
    expect(issues.some((i) => i.message.startsWith('file→deal'))).toBe(false);
  });

  it('counts a link to a quarantined parent as not made', () => {
    const coverage = assembleLinkCoverage(derive(), {
      heldBack: (parent) => (parent.sourceKey === '1043' ? 'is quarantined: no title' : undefined),
    });
    expect(coverage.find((c) => c.relationship === 'note→deal')).toMatchObject({
      withReference: 1,
      linked: 0,
    });
    expect(linkCoverageIssues(coverage).find((i) => i.message.startsWith('note→deal'))?.message).toContain(
      'claim:1043 is quarantined: no title',
    );
  });

  it('checks the plan links each record as its rows say, when the plan is given', () => {
    const planned = new PlannedLinks();
    const record = (identity: string, links: string[]) =>
      ({ identity, links: links.map((parent) => ({ identity: parent })) }) as unknown as PlannedRecord;
    planned.add(record('claim:1042', []));
    planned.add(record('claim:1043', []));
    const coverage = assembleLinkCoverage(derive(), { planned, relationships: ['deal→person'] });
    expect(coverage[0]).toMatchObject({ withReference: 3, resolved: 2, linked: 0, notPlanned: 2 });
    const [issue] = linkCoverageIssues(coverage);
    expect(issue?.message).toContain(
      '2 of them name their contact, but the planned record does not link to it',
    );
    expect(issue?.fix).toBe('Map [Client] to deal.person_id in mapping.yaml, confirm, and validate again.');
    // A row the plan makes no record of (held, quarantined) is not held against the plan.
    const some = new PlannedLinks();
    some.add(record('claim:1042', ['contact:501']));
    expect(
      assembleLinkCoverage(derive(), { planned: some, relationships: ['deal→person'] })[0],
    ).toMatchObject({
      linked: 2,
      notPlanned: 0,
    });
  });
});

describe('diffLinks', () => {
  const ids: Record<string, string> = {
    'contact:501': '7',
    'contact:h:abc': '9',
    'company:7': '3',
    'claim:1042': '42',
    'claim:1043': '43',
    'intake_caller:I1': '11',
  };
  const records = (overrides: Record<string, LinkedRecord['links']>): RecordsByIdentity => {
    const links: Record<string, LinkedRecord['links']> = {
      'deal claim:1042': { person_id: ['7'] },
      'deal claim:1043': { person_id: ['9'], org_id: ['3'] },
      'deal claim:1044': { person_id: [] },
      'person contact:501': { org_id: ['3'] },
      'person contact:h:abc': { org_id: [] },
      'person intake_caller:I1': {},
      'organization company:7': {},
      'activity event:E1': { deal_id: ['42'], participants: ['7'] },
      'activity event:E2': { deal_id: [] },
      'activity note:N1': { deal_id: ['43'] },
      'lead intake:I1': { person_id: ['11'] },
      'lead intake:I2': { person_id: ['7'] },
      ...overrides,
    };
    return {
      find: (entity, identity) => {
        const found = links[`${entity} ${identity}`];
        return found ? { id: ids[identity] ?? `${entity}-${identity}`, links: found } : undefined;
      },
      identityOf: (_entity, id) => Object.entries(ids).find(([, value]) => value === id)?.[0],
    };
  };

  it('finds nothing wrong when Pipedrive holds the links the rows say (a note may be an activity)', () => {
    const result = diffLinks(derive(), records({}), LINK_RELATIONSHIPS);
    expect(result.differences).toEqual([]);
    const check = (relationship: string) => result.checks.find((c) => c.relationship === relationship);
    expect(check('deal→person')).toMatchObject({ checked: 3, linked: 2, parentAbsent: 1 });
    expect(check('lead→person')).toMatchObject({ checked: 2, linked: 2 });
    expect(check('activity→deal')).toMatchObject({ checked: 2, linked: 1, parentAbsent: 1, share: 0.5 });
    expect(check('note→deal')).toMatchObject({ checked: 1, linked: 1, share: 1 });
  });

  it('reports a link pointing at another record, and a link left empty', () => {
    const result = diffLinks(
      derive(),
      records({
        'deal claim:1042': { person_id: ['9'] },
        'activity event:E1': { deal_id: [], participants: ['7'] },
      }),
      LINK_RELATIONSHIPS,
    );
    expect(
      result.differences.map((d) => [d.relationship, d.kind, d.child.identity, d.expected, d.actual]),
    ).toEqual([
      [
        'deal→person',
        'wrong',
        'claim:1042',
        [{ identity: 'contact:501', pipedriveId: '7' }],
        [{ pipedriveId: '9', identity: 'contact:h:abc' }],
      ],
      ['activity→deal', 'missing', 'event:E1', [{ identity: 'claim:1042', pipedriveId: '42' }], []],
    ]);
  });
});

describe('linkIds', () => {
  it('reads ids however the API spells them', () => {
    expect(linkIds({ person_id: 7 }, 'person_id')).toEqual(['7']);
    expect(linkIds({ person_id: { value: 7, name: 'Maria' } }, 'person_id')).toEqual(['7']);
    expect(linkIds({ deal_id: null }, 'deal_id')).toEqual([]);
    expect(
      linkIds({ participants: [{ person_id: 7 }, { person_id: 8 }], person_id: 7 }, 'participants'),
    ).toEqual(['7', '8']);
  });
});
