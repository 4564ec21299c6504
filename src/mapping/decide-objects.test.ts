import { describe, expect, it } from 'vitest';
import { extractInMemory } from '../source/backdocket/index.ts';
import { decideObjects } from './decide-objects.ts';
import { proposeMapping } from './propose-mapping.ts';

/** Small exports read by the real extractor: objects follow from columns, values and relations. */
const csv = (name: string, lines: string[]) => ({ name, content: Buffer.from(`${lines.join('\r\n')}\r\n`) });

const STATUSES = ['Chase Call', 'No Decision', 'Active w/Contract', 'Closed', 'Rejected'];
const claims = csv('claims.csv', [
  'Claim ID,Claim Name,Claim Type,Status,Client Contact ID',
  ...Array.from(
    { length: 12 },
    (_, i) => `${2001 + i},Smith v. Jones ${i},Auto,${STATUSES[i % STATUSES.length]},${101 + (i % 6)}`,
  ),
]);
const contacts = csv('contacts.csv', [
  'Contact ID,First Name,Last Name,Email',
  ...Array.from({ length: 6 }, (_, i) => `${101 + i},Given${i},Family${i},p${i}@x.com`),
]);

describe('decideObjects', () => {
  it('recognises a status history by its content, under a report name and vague headers', async () => {
    const history = csv('Report_2024-06.csv', [
      'Ref,Was,Now,When',
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `${2001 + (i % 12)},${STATUSES[i % 4]},${STATUSES[(i + 1) % 5]},${1 + (i % 9)}/1${i % 9}/2021 9:${10 + i} AM`,
      ),
    ]);
    const { files } = await extractInMemory([claims, contacts, history]);
    const decided = decideObjects(files).get('Report_2024-06.csv');
    expect(decided?.object).toBe('status_history');
    expect(decided?.reason).toMatch(/status values/);
  });

  it('recognises a status history whose claims’ column no header calls a status, by its values changing', async () => {
    // 'Case Stage' beside other words: the header reads only half as the claims' status.
    const PHASES = ['Intake', 'Treating', 'Demand', 'Litigation', 'Settled'];
    const matters = csv('Summary.csv', [
      'Claim ID,Title,Practice Area,Case Stage',
      ...Array.from(
        { length: 12 },
        (_, i) => `${2001 + i},Smith v. Jones ${i},Auto,${PHASES[i % PHASES.length]}`,
      ),
    ]);
    const log = csv('Changes.csv', [
      'Matter Ref,Stage Before,Stage After,Changed By,Changed',
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `${2001 + (i % 12)},${PHASES[i % 4]},${PHASES[(i + 1) % 5]},Given${i % 3} Family${i % 3},${1 + (i % 9)}/1${i % 9}/2021 9:${10 + i} AM`,
      ),
    ]);
    const { files } = await extractInMemory([matters, contacts, log]);
    const decided = decideObjects(files).get('Changes.csv');
    expect(decided?.object).toBe('status_history');
    expect(decided?.reason).toMatch(/status values/);
  });

  it('recognises a table joining claims and contacts by what its # columns hold', async () => {
    const parties = csv('Report_Parties.csv', [
      'Case #,Person #,Role',
      ...Array.from(
        { length: 15 },
        (_, i) => `${2001 + (i % 12)},${101 + (i % 6)},${['Client', 'Witness'][i % 2]}`,
      ),
    ]);
    const { files } = await extractInMemory([claims, contacts, parties]);
    expect(decideObjects(files).get('Report_Parties.csv')?.object).toBe('claim_contact');
  });

  it('takes a second file keyed by the contacts’ ids for more columns of contacts', async () => {
    const phones = csv('more.csv', [
      'Key,Mobile,Office',
      ...Array.from({ length: 6 }, (_, i) => `${101 + i},(713) 555-01${10 + i},(713) 555-02${10 + i}`),
    ]);
    const { files } = await extractInMemory([claims, contacts, phones]);
    expect(decideObjects(files).get('more.csv')?.object).toBe('contact');
  });

  it('does not take a file whose rows name the same claim for the claims, whatever its name says', async () => {
    const companies = csv('companies.csv', [
      'Company ID,Company Name',
      ...Array.from({ length: 6 }, (_, i) => `${501 + i},Insurer ${i} Mutual`),
    ]);
    // 'Case' in the file name and a case id first read like claims; the values say otherwise.
    const parties = csv('Case Parties.csv', [
      'Case ID,Contact #,Carrier Ref,Claim No.,Party Type',
      ...Array.from(
        { length: 18 },
        (_, i) =>
          `${2001 + (i % 6)},${101 + (i % 6)},${501 + (i % 6)},CL-${9000 + (i % 9)},${['Client', 'Adjuster'][i % 2]}`,
      ),
    ]);
    const { files } = await extractInMemory([claims, contacts, companies, parties]);
    const decided = decideObjects(files).get('Case Parties.csv');
    expect(decided?.object).toBe('claim_contact');
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'Case Parties.csv');
    expect(proposal?.fields.find((f) => f.column === 'Carrier Ref')?.target).toBe('deal.org_id');
  });

  it('reads a keyed file whose rows hang off claims as the claims’ child its few known headers name', async () => {
    // Only 'Prioridad' and 'Tarea' are known words; the rest is vocabulary nobody listed.
    const chores = csv('Hoja3.csv', [
      'Folio Interno,Expediente Ref,Tarea,Prioridad,Pendiente Hasta,Avance,Zona,Canal',
      ...Array.from(
        { length: 18 },
        (_, i) =>
          `${70001 + i},${2001 + (i % 6)},Llamar al cliente ${i},${['Alta', 'Baja'][i % 2]},${1 + (i % 9)}/0${1 + (i % 9)}/2024,${i % 3}0%,Z${i % 4},C${i % 5}`,
      ),
    ]);
    const { files } = await extractInMemory([claims, contacts, chores]);
    const decided = decideObjects(files).get('Hoja3.csv');
    expect(decided?.object).toBe('task');
    expect(decided?.reason).toMatch(/hangs its rows off claims/);
  });

  it('reads a keyed child of claims whose rows carry amounts as ledger lines, whatever its headers say', async () => {
    const postings = csv('Postings.csv', [
      'Posting Ref,Claim Ref,Posted,Narrative,Tariff,Sum,Who',
      ...Array.from(
        { length: 18 },
        (_, i) =>
          `${80001 + i},${2001 + (i % 6)},${1 + (i % 9)}/1${i % 9}/2022,Reviewed file ${i},$${150 + i}.00,"$${(1000 + i * 37).toLocaleString('en-US')}.5${i % 10}",Given${i % 3} Family${i % 3}`,
      ),
    ]);
    const { files } = await extractInMemory([claims, contacts, postings]);
    const decided = decideObjects(files).get('Postings.csv');
    expect(decided?.object).toBe('billing_entry');
    expect(decided?.reason).toMatch(/carry amounts/);
  });

  it('reads the file people point at many to one, whose rows carry one name, as their companies', async () => {
    // Headed like a second contacts file (a name, a phone, an e-mail, an address) and named vaguely.
    const parties = csv('Parties.csv', [
      'Party Ref,Party Name,Phone,Email,Street,Town',
      ...Array.from(
        { length: 5 },
        (_, i) => `${7001 + i},Acme Works ${i},555-010${i},office${i}@acme${i}.com,${i} High St,Springfield`,
      ),
    ]);
    const people = csv('People.csv', [
      'Contact ID,First Name,Surname,Works At,Email,Mobile',
      ...Array.from(
        { length: 12 },
        (_, i) => `${301 + i},Given${i},Family${i},${7001 + (i % 5)},g${i}@x.com,555-020${i % 10}`,
      ),
    ]);
    const { files } = await extractInMemory([claims, people, parties]);
    const decided = decideObjects(files);
    expect(decided.get('Parties.csv')?.object).toBe('company');
    expect(decided.get('Parties.csv')?.reason).toMatch(/many to one/);
    expect(decided.get('People.csv')?.object).toBe('contact');
  });

  it('leaves a file it cannot place to a person, with its best candidates', async () => {
    const odd = csv('Sheet1.csv', [
      'Alpha,Beta,Gamma',
      ...Array.from({ length: 6 }, (_, i) => `x${i},${i * 7},y`),
    ]);
    const { files } = await extractInMemory([claims, contacts, odd]);
    const proposal = proposeMapping(files);
    const sheet = proposal.objects.find((o) => o.file === 'Sheet1.csv');
    expect(sheet?.object).toBeNull();
    expect(sheet?.reason).toMatch(/^not recognised/);
    expect(Array.isArray(sheet?.candidates)).toBe(true);
    expect(sheet?.fields.every((f) => f.target === null)).toBe(true);
  });
});
