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
