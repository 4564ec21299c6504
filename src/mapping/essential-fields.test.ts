import { describe, expect, it } from 'vitest';
import { extractInMemory } from '../source/backdocket/index.ts';
import { proposeMapping } from './propose-mapping.ts';

/** Small exports read by the real extractor: names and note bodies found by their values. */
const csv = (name: string, lines: string[]) => ({ name, content: Buffer.from(`${lines.join('\r\n')}\r\n`) });

const INSURERS = [
  'GEICO',
  'State Farm',
  'Memorial Hermann',
  'Lone Star Freight',
  'Texas Mutual',
  'Progressive',
];
const contacts = csv('Client Directory.csv', [
  'Client ID,First Name,Last Name,Insured With',
  ...Array.from({ length: 12 }, (_, i) => `${101 + i},Given${i},Family${i},${INSURERS[i % 6]}`),
]);

describe('essential fields by evidence', () => {
  it('names organizations by the unique words other files call them by, when no header says name', async () => {
    const carriers = csv('Carriers and Providers.csv', [
      'Carrier ID,Kind,Carrier / Provider,Fax',
      ...INSURERS.map((name, i) => `${501 + i},${['Auto', 'Health'][i % 2]},${name},(713) 555-01${10 + i}`),
    ]);
    const { files } = await extractInMemory([contacts, carriers]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'Carriers and Providers.csv');
    expect(proposal?.object).toBe('company');
    const name = proposal?.fields.find((f) => f.column === 'Carrier / Provider');
    expect(name?.target).toBe('organization.name');
    expect(name?.confidence).toBeLessThan(0.9);
    expect(name?.reason).toMatch(/other files name these rows by it/);
    // The category repeats: it is not a name.
    expect(proposal?.fields.find((f) => f.column === 'Kind')?.target).not.toBe('organization.name');
  });

  it('takes a caption a header read loosely as a custom field for the deal title, when nothing gives one', async () => {
    const claims = csv('Files.csv', [
      'File Ref,File Description,Claim Type,Status,Client ID',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `F${700 + i},${['Slip at', 'Collision on', 'Dog bite in'][i % 3]} site ${i},Auto,Open,${101 + i}`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'Files.csv');
    expect(proposal?.object).toBe('claim');
    const title = proposal?.fields.find((f) => f.column === 'File Description');
    expect(title?.target).toBe('deal.title');
    expect(title?.confidence).toBeLessThan(0.9);
  });

  it('reads the date named like the column of who made the record as when it was made', async () => {
    const claims = csv('claims.csv', [
      'Claim ID,Claim Name,Client ID,Entered By,Entered,Reviewed',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${2001 + i},Smith v. Jones ${i},${101 + i},Given${i % 3} Family${i % 3},3/${1 + i}/2021,4/${1 + i}/2021`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'claims.csv');
    const logged = proposal?.fields.find((f) => f.column === 'Entered');
    expect(proposal?.fields.find((f) => f.column === 'Entered By')?.target).toBe('deal.custom:Created By');
    expect(logged?.target).toBe('deal.custom:Original Create Date');
    // Another date, named otherwise, is not the creation date.
    expect(proposal?.fields.find((f) => f.column === 'Reviewed')?.target).not.toBe(
      'deal.custom:Original Create Date',
    );
  });

  it('takes a notes file’s long free text for the body when its header names no body', async () => {
    const journal = csv('notes.csv', [
      'Note ID,Client ID,Topic Code,Journal Entry',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${9001 + i},${101 + (i % 12)},T${i % 3},called the adjuster about the demand and the treatment records number ${i}`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, journal]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'notes.csv');
    expect(proposal?.object).toBe('note');
    const body = proposal?.fields.find((f) => f.column === 'Journal Entry');
    expect(body?.target).toBe('note.content');
    expect(body?.transform).toEqual({ kind: 'html', part: 'body' });
  });

  it('keeps a task’s long free text as its note, where no header names it', async () => {
    const claims = csv('claims.csv', [
      'Claim ID,Claim Name,Client ID',
      ...Array.from({ length: 6 }, (_, i) => `${2001 + i},Smith v. Jones ${i},${101 + i}`),
    ]);
    const tasks = csv('tasks.csv', [
      'Task ID,Claim ID,Subject,Due Date,Particulars',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${50001 + i},${2001 + (i % 6)},Call client ${i},0${1 + (i % 9)}/1${i % 9}/2024,ask for the police report and the treatment records ${i}`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims, tasks]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'tasks.csv');
    expect(proposal?.object).toBe('task');
    expect(proposal?.fields.find((f) => f.column === 'Particulars')?.target).toBe('activity.note');
  });

  it('takes a task’s short caption for its subject when no header names one, and keeps the long text as the note', async () => {
    const claims = csv('claims.csv', [
      'Claim ID,Claim Name,Client ID',
      ...Array.from({ length: 6 }, (_, i) => `${2001 + i},Smith v. Jones ${i},${101 + i}`),
    ]);
    const tasks = csv('tasks.csv', [
      'Task ID,Claim ID,Description,Due Date,Particulars',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${50001 + i},${2001 + (i % 6)},Call client ${i},0${1 + (i % 9)}/1${i % 9}/2024,ask for the police report and the treatment records ${i}`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims, tasks]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'tasks.csv');
    expect(proposal?.object).toBe('task');
    const target = (column: string) => proposal?.fields.find((f) => f.column === column)?.target;
    expect(target('Description')).toBe('activity.subject');
    expect(target('Particulars')).toBe('activity.note');
  });

  it('schedules a task on its first date no header placed, and leaves a modified date aside', async () => {
    const claims = csv('claims.csv', [
      'Claim ID,Claim Name,Client ID',
      ...Array.from({ length: 6 }, (_, i) => `${2001 + i},Smith v. Jones ${i},${101 + i}`),
    ]);
    const tickler = csv('tasks.csv', [
      'Task ID,Claim ID,Subject,Modified Date,TickleOn,Closed On',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${50001 + i},${2001 + (i % 6)},Call client ${i},0${1 + (i % 9)}/0${1 + (i % 9)}/2023,0${1 + (i % 9)}/1${i % 9}/2024,0${1 + (i % 9)}/2${i % 9}/2024`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims, tickler]);
    const fields = proposeMapping(files).objects.find((o) => o.file === 'tasks.csv')?.fields ?? [];
    const due = fields.find((f) => f.column === 'TickleOn');
    expect(due?.target).toBe('activity.due_date');
    expect(due?.transform).toMatchObject({ kind: 'date' });
    expect(fields.find((f) => f.column === 'Modified Date')?.target).toBeNull();
    expect(fields.filter((f) => f.target === 'activity.due_date')).toHaveLength(1);
  });

  it('reads the one repeated short word of a row joining claims and contacts as the contact’s role', async () => {
    const claims = csv('claims.csv', [
      'Claim ID,Claim Name,Client ID',
      ...Array.from({ length: 6 }, (_, i) => `${2001 + i},Smith v. Jones ${i},${101 + i}`),
    ]);
    const parties = csv('Matter_Parties_Report.csv', [
      'Claim ID,Client ID,Involvement,Remarks',
      ...Array.from(
        { length: 18 },
        (_, i) =>
          `${2001 + (i % 6)},${101 + ((i * 5) % 12)},${['Witness', 'Adjuster', 'Medical Provider'][i % 3]},spoke with them on day ${i} about the claim`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims, parties]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'Matter_Parties_Report.csv');
    expect(proposal?.object).toBe('claim_contact');
    const role = proposal?.fields.find((f) => f.column === 'Involvement');
    expect(role?.target).toBe('deal.custom:Contact Roles');
    expect(role?.transform).toEqual({ kind: 'text', rollup: 'list' });
    expect(proposal?.fields.find((f) => f.column === 'Remarks')?.target).not.toBe(
      'deal.custom:Contact Roles',
    );
  });

  it('reads a staff list’s only unplaced yes/no column as whether they still work there, never one of two', async () => {
    const staff = (extra: string, value: (i: number) => string) =>
      csv('PERSONAL.csv', [
        `Staff ID,Name,Email,Vigente${extra}`,
        ...Array.from(
          { length: 8 },
          (_, i) => `${11 + i},Person ${i},p${i}@firm.com,${i % 4 === 0 ? 'No' : 'Sí'}${value(i)}`,
        ),
      ]);
    const fieldsOf = async (file: { name: string; content: Buffer }) => {
      const { files } = await extractInMemory([file]);
      return proposeMapping(files).objects.find((o) => o.file === 'PERSONAL.csv')?.fields ?? [];
    };
    const one = await fieldsOf(staff('', () => ''));
    expect(one.find((f) => f.column === 'Vigente')?.target).toBe('user.active_flag');
    // Two yes/no columns: which one says "still here" is for a person to choose.
    const two = await fieldsOf(staff(',Notario', (i) => `,${i % 3 === 0 ? 'Sí' : 'No'}`));
    expect(two.find((f) => f.column === 'Vigente')?.target).toBeNull();
  });

  it('settles a name the header leans to but does not say outright, by its values', async () => {
    const providers = csv('providers.csv', [
      'Provider ID,Provider Name,Kind,Fax',
      ...INSURERS.map((name, i) => `${501 + i},${name},${['Auto', 'Health'][i % 2]},(713) 555-01${10 + i}`),
    ]);
    const { files } = await extractInMemory([contacts, providers]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'providers.csv');
    expect(proposal?.object).toBe('company');
    expect(proposal?.fields.find((f) => f.column === 'Provider Name')?.target).toBe('organization.name');
    expect(proposal?.fields.find((f) => f.column === 'Kind')?.target).not.toBe('organization.name');
  });

  it('titles claims by the short text different in every row when no header names the title', async () => {
    const VENUES = ['Harris County', 'Travis County', 'Dallas County'];
    const claims = csv('claims.csv', [
      'Claim ID,Client ID,Case Type,Status,Rubric,Venue',
      ...Array.from(
        { length: 12 },
        (_, i) => `${2001 + i},${101 + i},Auto,Open,Family${i} against ${INSURERS[i % 6]},${VENUES[i % 3]}`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'claims.csv');
    expect(proposal?.object).toBe('claim');
    const title = proposal?.fields.find((f) => f.column === 'Rubric');
    expect(title?.target).toBe('deal.title');
    expect(title?.confidence).toBeLessThan(0.9);
    // The venue repeats across claims: it is not a title.
    expect(proposal?.fields.find((f) => f.column === 'Venue')?.target).not.toBe('deal.title');
  });

  it('names people by the two columns other files call them by joined, when no header names them', async () => {
    const GIVEN = ['Omar', 'Sofia', 'James', 'Maria', 'Linh', 'Dana', 'Grace', 'Carlos'];
    const FAMILY = ['Baker', 'Nash', 'Harper', 'Reyes', 'Okafor', 'Holt', 'Khan', 'Brooks'];
    const people = csv('PEOPLE.TXT', [
      'PPL_NBR,PPL_A_TX,PPL_B_TX,Email,Phone',
      ...GIVEN.map(
        (g, i) => `${7001 + i},${g},${FAMILY[i]},${g.toLowerCase()}@example.com,(713) 555-01${10 + i}`,
      ),
    ]);
    const claims = csv('claims.csv', [
      'Claim ID,Case Type,Status,Client Name',
      ...GIVEN.map((g, i) => `${2001 + i},Auto,Open,${g} ${FAMILY[i]}`),
    ]);
    const { files } = await extractInMemory([people, claims]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'PEOPLE.TXT');
    expect(proposal?.object).toBe('contact');
    const target = (column: string) => proposal?.fields.find((f) => f.column === column)?.target;
    expect(target('PPL_A_TX')).toBe('person.first_name');
    expect(target('PPL_B_TX')).toBe('person.last_name');
  });

  it('reads a status log’s columns of the claims’ status values as the statuses changed from and to', async () => {
    const STATUSES = ['Intake', 'Treating', 'Demand', 'Litigation', 'Settled'];
    const claims = csv('claims.csv', [
      'Claim ID,Claim Name,Status',
      ...Array.from({ length: 10 }, (_, i) => `${2001 + i},Smith v. Jones ${i},${STATUSES[i % 5]}`),
    ]);
    const log = csv('log.csv', [
      'Claim ID,Before,After,When',
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `${2001 + (i % 10)},${STATUSES[i % 4]},${STATUSES[(i + 1) % 5]},3/1${i % 9}/2021 9:${10 + i} AM`,
      ),
    ]);
    const { files } = await extractInMemory([contacts, claims, log]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'log.csv');
    expect(proposal?.object).toBe('status_history');
    const field = (column: string) => proposal?.fields.find((f) => f.column === column);
    expect(field('Before')).toMatchObject({
      target: 'note.content',
      transform: { kind: 'text', part: 'from' },
    });
    expect(field('After')).toMatchObject({ target: 'note.content', transform: { kind: 'text', part: 'to' } });
  });

  it('reads postal codes beside an address as its postal code, whatever the header', async () => {
    const people = csv('people.csv', [
      'Client ID,First Name,Last Name,Street,City,State,Sort Code,Account Balance',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${101 + i},Given${i},Family${i},${100 + i} Main St,Houston,TX,${77001 + i * 37},${10000 + i * 11}`,
      ),
    ]);
    const { files } = await extractInMemory([people]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'people.csv');
    const field = (column: string) => proposal?.fields.find((f) => f.column === column);
    expect(field('Sort Code')).toMatchObject({
      target: field('State')?.target,
      transform: { kind: 'address', part: 'zip' },
    });
    // Five digits too, but not beside the address (and it has one postal code already).
    expect(field('Account Balance')?.transform).not.toMatchObject({ kind: 'address' });
  });

  it('leaves a named organization file alone', async () => {
    const companies = csv('companies.csv', [
      'Company ID,Company Name,Motto',
      ...INSURERS.map((name, i) => `${501 + i},${name},Motto number ${i} of ours`),
    ]);
    const { files } = await extractInMemory([contacts, companies]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'companies.csv');
    expect(proposal?.fields.find((f) => f.column === 'Company Name')?.target).toBe('organization.name');
    expect(proposal?.fields.find((f) => f.column === 'Motto')?.target).not.toBe('organization.name');
  });
});
