import { describe, expect, it } from 'vitest';
import { extractInMemory } from '../../source/backdocket/index.ts';
import { proposeMapping } from '../propose-mapping.ts';
import { CATALOGUE } from './index.ts';

const csv = (name: string, lines: string[]) => ({ name, content: Buffer.from(`${lines.join('\r\n')}\r\n`) });

describe('catalogue: a link is named as the key it points at', () => {
  it('gives every link to contacts the contact key’s spellings, but not the bare id', () => {
    const contactKey = CATALOGUE.contact.concepts.find((c) => c.target === 'person.ref:contact');
    expect(contactKey?.aliases).toContain('party id');
    for (const target of ['note.person_id', 'deal.person_id', 'activity.participants']) {
      const link = Object.values(CATALOGUE)
        .flatMap((catalogue) => catalogue.concepts)
        .find((c) => c.target === target && c.link === 'contact');
      expect(link?.aliases, target).toContain('party id');
      expect(link?.aliases, target).not.toContain('record id');
    }
    // A file's own key keeps its own spellings only.
    expect(CATALOGUE.note.concepts.find((c) => c.target === 'note.ref:note')?.aliases).not.toContain(
      'party id',
    );
  });

  it('links a note’s party key to the contact it names, with no contacts file to find it in', async () => {
    // Clients ride along on the case rows; the log names them by the ids the cases carry.
    const cases = csv('case_report.csv', [
      'case_key,case_title,client_key,client_first_name,client_last_name',
      ...Array.from(
        { length: 8 },
        (_, i) => `M-${2001 + i},Smith v. Jones ${i},C-${101 + (i % 4)},Given${i % 4},Family${i % 4}`,
      ),
    ]);
    const log = csv('case_log.csv', [
      'log_key,case_key,party_key,note',
      ...Array.from(
        { length: 10 },
        (_, i) =>
          `N-${9001 + i},M-${2001 + (i % 8)},C-${101 + (i % 6)},called about the treatment records ${i}`,
      ),
    ]);
    const { files } = await extractInMemory([cases, log]);
    const proposal = proposeMapping(files).objects.find((o) => o.file === 'case_log.csv');
    expect(proposal?.fields.find((f) => f.column === 'party_key')?.target).toBe('note.person_id');
  });
});
