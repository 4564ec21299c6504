import { describe, expect, it } from 'vitest';
import type { BackdocketObject } from '../core/objects.ts';
import type { ColumnProfile, ColumnReference, ExtractedFile, KindShare } from '../source/model.ts';
import { headerTokens } from './header-match.ts';
import { proposeMapping } from './propose-mapping.ts';

/** A hand-made column profile: only what the proposer reads. */
function column(
  name: string,
  options: {
    kinds?: KindShare[];
    samples?: string[];
    fill?: number;
    distinct?: number;
    maxLength?: number;
    references?: ColumnReference[];
  } = {},
): ColumnProfile {
  return {
    name,
    originalName: name,
    index: 0,
    fillRate: options.fill ?? 1,
    distinctCount: options.distinct ?? 20,
    kinds: options.kinds ?? [{ kind: 'text', share: 1 }],
    samples: options.samples ?? ['a', 'b'],
    maxLength: options.maxLength ?? 20,
    references: options.references ?? [],
  };
}

function file(
  name: string,
  object: BackdocketObject | null,
  columns: ColumnProfile[],
  keyColumn: string | null = null,
): ExtractedFile {
  return {
    file: name,
    detection: { object, confidence: object ? 0.95 : 0, reason: 'test' },
    rowCount: 40,
    keyColumn,
    columns: columns.map((c, index) => ({ ...c, index })),
  };
}

const ids: KindShare[] = [{ kind: 'integer', share: 1 }];
const emails: KindShare[] = [{ kind: 'email', share: 1 }];
const phones: KindShare[] = [{ kind: 'phone', share: 1 }];
const dates: KindShare[] = [{ kind: 'date', share: 1, format: 'M/D/YYYY' }];

function targets(
  proposal: ReturnType<typeof proposeMapping>,
  fileName: string,
): Record<string, string | null> {
  const object = proposal.objects.find((o) => o.file === fileName)!;
  return Object.fromEntries(object.fields.map((f) => [f.column, f.target]));
}

describe('proposeMapping', () => {
  it("reads a staff file's Status of Active/Inactive/Terminated/Former as the user's active flag", () => {
    const words = { kinds: [{ kind: 'text' as const, share: 1 }], distinct: 4 };
    const proposal = proposeMapping([
      file('staff.csv', 'staff', [
        column('User #', { kinds: ids }),
        column('Email', { kinds: emails }),
        column('Status', { ...words, samples: ['Active', 'Inactive', 'Terminated', 'Former'] }),
      ]),
      file('attorneys.csv', 'staff', [
        column('User #', { kinds: ids }),
        column('Email', { kinds: emails }),
        column('Status', { ...words, samples: ['Partner', 'Associate', 'Of Counsel', 'Clerk'] }),
      ]),
    ]);
    const status = proposal.objects[0]!.fields.find((f) => f.column === 'Status')!;
    expect(status.target).toBe('user.active_flag');
    expect(status.transform).toEqual({ kind: 'boolean' });
    // Status words that are not active/inactive are not the active flag.
    expect(targets(proposal, 'attorneys.csv').Status).not.toBe('user.active_flag');
  });

  it('maps a contact export by headers, abbreviations and value profiles', () => {
    const proposal = proposeMapping([
      file(
        'clients.csv',
        'contact',
        [
          column('Client #', { kinds: ids }),
          column('FNAME'),
          column('LNAME'),
          column('E-mail Address', { kinds: emails, samples: ['a@b.com'] }),
          column('Tel (H)', { kinds: phones }),
          column('Cell', { kinds: phones }),
          column('DOB', { kinds: dates }),
          column('Addr 1'),
          column('Zip Code', { kinds: ids }),
        ],
        'Client #',
      ),
    ]);
    const object = proposal.objects[0]!;
    expect(object.entity).toBe('person');
    expect(targets(proposal, 'clients.csv')).toEqual({
      'Client #': 'person.ref:contact',
      FNAME: 'person.first_name',
      LNAME: 'person.last_name',
      'E-mail Address': 'person.emails',
      'Tel (H)': 'person.phones',
      Cell: 'person.phones',
      DOB: 'person.custom:Date of Birth',
      'Addr 1': 'person.custom:Address',
      'Zip Code': 'person.custom:Address',
    });
    const email = object.fields.find((f) => f.column === 'E-mail Address')!;
    expect(email.confidence).toBeGreaterThanOrEqual(0.9);
    expect(email.reason).toMatch(/100% of values are e-mails/);
    expect(object.fields.find((f) => f.column === 'DOB')).toMatchObject({
      fieldType: 'date',
      transform: { kind: 'date', formats: ['M/D/YYYY'] },
    });
  });

  it('reads words written without their vowels, as fixed-width layouts abbreviate them', () => {
    const proposal = proposeMapping([
      file('PEOPLE.DAT', 'contact', [
        column('PPL_KEY', { kinds: ids }),
        column('PPL_FRST_NM'),
        column('PPL_LST_NM'),
        column('PPL_BRTH_DT', { kinds: dates }),
        column('PPL_HM_PH', { kinds: phones }),
        column('Alt Phone', { kinds: phones }),
      ]),
    ]);
    expect(targets(proposal, 'PEOPLE.DAT')).toMatchObject({
      PPL_FRST_NM: 'person.first_name',
      PPL_LST_NM: 'person.last_name',
      PPL_BRTH_DT: 'person.custom:Date of Birth',
      PPL_HM_PH: 'person.phones',
      // A word cut short at its end is not a word without its vowels ('alt' is not Spanish 'alta').
      'Alt Phone': 'person.phones',
    });
  });

  it('breaks a tie of header readings by the kind of the values: a bare Created of dates is the creation date', () => {
    const proposal = proposeMapping([
      file('matters.csv', 'claim', [
        column('Matter ID', { kinds: ids }),
        column('Matter Name'),
        column('Created', { kinds: [{ kind: 'datetime', share: 1, format: 'MM/DD/YYYY h:mm' }] }),
      ]),
    ]);
    expect(targets(proposal, 'matters.csv').Created).toBe('deal.custom:Original Create Date');
  });

  it('takes a column of web addresses for the website when no header says so, for a person to review', () => {
    const proposal = proposeMapping([
      file('insurers.csv', 'company', [
        column('Insurer ID', { kinds: ids }),
        column('Company Name'),
        column('Online', { kinds: [{ kind: 'url', share: 1 }], samples: ['https://www.geico.com'] }),
      ]),
    ]);
    const online = proposal.objects[0]?.fields.find((f) => f.column === 'Online');
    expect(online?.target).toBe('organization.website');
    expect(online?.confidence).toBeLessThan(0.75);
  });

  it('understands Spanish headers', () => {
    const proposal = proposeMapping([
      file('contactos.csv', 'contact', [
        column('Nombre'),
        column('Apellido'),
        column('Correo electrónico', { kinds: emails }),
        column('Teléfono', { kinds: phones }),
        column('Empresa'),
        column('Fecha de nacimiento', { kinds: dates }),
      ]),
    ]);
    expect(targets(proposal, 'contactos.csv')).toEqual({
      Nombre: 'person.first_name',
      Apellido: 'person.last_name',
      'Correo electrónico': 'person.emails',
      Teléfono: 'person.phones',
      Empresa: 'person.org_id',
      'Fecha de nacimiento': 'person.custom:Date of Birth',
    });
  });

  it('rejects decoys: GUIDs, row versions, empty columns, a Phone column full of e-mails', () => {
    const proposal = proposeMapping([
      file(
        'contacts.csv',
        'contact',
        [
          column('Contact ID', { kinds: ids }),
          column('RowGuid', {
            kinds: [{ kind: 'id', share: 1 }],
            samples: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301', '6ba7b810-9dad-41d1-80b4-00c04fd430c8'],
          }),
          column('Row Version', { kinds: [{ kind: 'id', share: 1 }], samples: ['0x00000000000007D1'] }),
          column('Spare 1', { fill: 0, kinds: [], samples: [] }),
          column('Phone', { kinds: emails, samples: ['x@y.com'] }),
        ],
        'Contact ID',
      ),
    ]);
    const fields = proposal.objects[0]!.fields;
    const byName = (name: string) => fields.find((f) => f.column === name)!;
    expect(byName('RowGuid')).toMatchObject({ target: null, decoy: true });
    expect(byName('Row Version')).toMatchObject({ target: null, decoy: true });
    expect(byName('Spare 1')).toMatchObject({ target: null, decoy: true });
    // Not guessed: left for the person with the header's candidate and the values' contradiction in the reason.
    expect(byName('Phone').target).toBeNull();
    expect(byName('Phone').reason).toMatch(/^uncertain: .*e-mails/);
    expect(byName('Phone').candidate).toBeDefined();
  });

  it('assigns one column per single-valued target and lets the runner-up fall back', () => {
    const proposal = proposeMapping([
      file('companies.csv', 'company', [column('Company ID', { kinds: ids }), column('Company Name')]),
      file('contacts.csv', 'contact', [
        column('Company ID', {
          kinds: ids,
          references: [{ object: 'company', file: 'companies.csv', overlap: 1 }],
        }),
        column('Company Name'),
        column('Email', { kinds: emails }),
        column('Email 2', { kinds: emails }),
      ]),
    ]);
    expect(targets(proposal, 'contacts.csv')).toEqual({
      'Company ID': 'person.org_id',
      'Company Name': null,
      Email: 'person.emails',
      'Email 2': 'person.emails',
    });
  });

  it('splits the company a contacts file carries out of it when the export has no companies file', () => {
    const proposal = proposeMapping([
      file('contacts.csv', 'contact', [
        column('Contact ID', { kinds: ids }),
        column('First Name'),
        column('Last Name'),
        column('Company Name'),
        column('Company Phone', { kinds: [{ kind: 'phone', share: 1 }] }),
      ]),
    ]);
    expect(targets(proposal, 'contacts.csv')).toMatchObject({
      'Company Name': 'organization.name',
      'Company Phone': 'organization.custom:Phone',
    });
  });

  it('reads the carried company’s word alone, beside its id, as the company’s name', () => {
    const proposal = proposeMapping([
      file('contacts.csv', 'contact', [
        column('Contact ID', { kinds: ids }),
        column('First Name'),
        column('Last Name'),
        column('Organisation Id', { kinds: ids }),
        column('Organisation', { samples: ['Lone Star Freight', 'Texas Mutual'] }),
      ]),
    ]);
    expect(targets(proposal, 'contacts.csv')).toMatchObject({
      'Organisation Id': 'person.org_id',
      Organisation: 'organization.name',
    });
    // With a companies file of its own, the contacts carry no company: the word alone stays a link or aside.
    const withCompanies = proposeMapping([
      file('contacts.csv', 'contact', [
        column('Contact ID', { kinds: ids }),
        column('Organisation Id', { kinds: ids }),
        column('Organisation'),
      ]),
      file('companies.csv', 'company', [column('Company ID', { kinds: ids }), column('Company Name')]),
    ]);
    expect(targets(withCompanies, 'contacts.csv').Organisation).not.toBe('organization.name');
  });

  // Values that are all another file's keys are evidence enough: the header is only a prior.
  it('finds links by key overlap when the header does not say', () => {
    const proposal = proposeMapping([
      file('notes.csv', 'note', [
        column('Ref', { kinds: ids, references: [{ object: 'claim', file: 'claims.csv', overlap: 1 }] }),
        column('Note'),
      ]),
    ]);
    const ref = proposal.objects[0]!.fields[0]!;
    expect(ref.target).toBe('note.deal_id');
    expect(ref.reason).toMatch(/claim keys/);
    expect(ref.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps unknown data columns as typed custom fields with options', () => {
    const proposal = proposeMapping(
      [
        file('claims.csv', 'claim', [
          column('Auto: BI Limits', { distinct: 2, samples: ['$30,000/$60,000', '$50,000/$100,000'] }),
          column('Mass Tort: Exposure Start', { kinds: dates }),
          column('Treating Doctor Rating', { kinds: [{ kind: 'number', share: 1 }] }),
        ]),
      ],
      {
        distinctValues: (_file, name) =>
          name === 'Auto: BI Limits' ? ['$50,000/$100,000', '$30,000/$60,000'] : undefined,
      },
    );
    const [limits, exposure, rating] = proposal.objects[0]!.fields;
    expect(limits).toMatchObject({
      target: 'deal.custom:Auto: BI Limits',
      fieldType: 'enum',
      options: ['$30,000/$60,000', '$50,000/$100,000'],
    });
    expect(exposure).toMatchObject({ target: 'deal.custom:Mass Tort: Exposure Start', fieldType: 'date' });
    expect(rating).toMatchObject({ target: 'deal.custom:Treating Doctor Rating', fieldType: 'double' });
    expect(limits!.confidence).toBeLessThan(0.9);
  });

  it('maps objects to entities and leaves rebuild-only files unmapped', () => {
    const proposal = proposeMapping([
      file('check_approvals.csv', 'check_approval', [column('Approval ID', { kinds: ids })]),
      file('mystery.csv', null, [column('Foo'), column('Bar')]),
      file(
        'staff.csv',
        'staff',
        [column('Staff ID', { kinds: ids }), column('Email', { kinds: emails }), column('Bar Number')],
        'Staff ID',
      ),
    ]);
    expect(proposal.objects.map((o) => [o.object, o.entity])).toEqual([
      ['check_approval', null],
      [null, null],
      ['staff', 'user'],
    ]);
    expect(proposal.objects[0]!.fields[0]!.target).toBeNull();
    expect(targets(proposal, 'staff.csv')).toEqual({
      'Staff ID': 'user.ref:staff',
      Email: 'user.email',
      'Bar Number': null,
    });
  });

  it('only ever proposes targets in the DESIGN.md §4 forms', () => {
    const proposal = proposeMapping([
      file(
        'claims.csv',
        'claim',
        [
          column('Claim ID', { kinds: ids }),
          column('Status'),
          column('DOI', { kinds: dates }),
          column('Atty'),
        ],
        'Claim ID',
      ),
    ]);
    for (const field of proposal.objects[0]!.fields) {
      if (field.target !== null)
        expect(field.target).toMatch(
          /^(user|person|organization|deal|lead|activity|note|file)\.(custom:.+|ref:[a-z_]+|[a-z_]+)$/,
        );
      expect(field.confidence).toBeGreaterThanOrEqual(0);
      expect(field.confidence).toBeLessThanOrEqual(1);
    }
    expect(targets(proposal, 'claims.csv')).toEqual({
      'Claim ID': 'deal.ref:claim',
      Status: 'deal.status',
      DOI: 'deal.custom:Date of Incident',
      Atty: 'deal.owner_id',
    });
  });
});

describe('proposeMapping on vendor vocabularies it was not written for', () => {
  it("reads a trailing 'Key' as an id, but not a leading one", () => {
    const proposal = proposeMapping([
      file(
        'notes.csv',
        'note',
        [
          column('Entry No', { kinds: ids }),
          column('Person Key', { kinds: ids }),
          column('Key Dates', { kinds: dates }),
          column('Text'),
        ],
        'Entry No',
      ),
    ]);
    const fields = targets(proposal, 'notes.csv');
    expect(fields['Person Key']).toBe('note.person_id');
    expect(fields['Key Dates']).not.toBe('note.person_id');
  });

  it('takes a column of relative file paths as where the document is stored, below 0.75', () => {
    const paths = ['files/20000/Medical Records/ER 0.pdf', 'files/20001/Photos/Photo 1.jpg', 'a/b.docx'];
    const proposal = proposeMapping([
      file(
        'register.csv',
        'document',
        [column('Doc No', { kinds: ids }), column('Kept Under', { samples: paths })],
        'Doc No',
      ),
    ]);
    const stored = proposal.objects[0]!.fields[1]!;
    expect(stored.target).toBe('file.file');
    expect(stored.reason).toMatch(/file paths/);
    expect(stored.confidence).toBeLessThan(0.75);
  });

  it('does not take web addresses for file paths', () => {
    const urls = ['https://www.example.com/a/page.html', 'http://example.org/x.pdf', 'https://x.io/y.txt'];
    const proposal = proposeMapping([
      file(
        'register.csv',
        'document',
        [column('Doc No', { kinds: ids }), column('Kept Under', { samples: urls })],
        'Doc No',
      ),
    ]);
    expect(proposal.objects[0]!.fields[1]!.target).not.toBe('file.file');
  });

  it('gives a custom field named only after its header a confidence below 0.75 (weak evidence)', () => {
    const proposal = proposeMapping([
      file('claims.csv', 'claim', [column('Claim ID', { kinds: ids }), column('Zorbling Index')], 'Claim ID'),
    ]);
    const custom = proposal.objects[0]!.fields[1]!;
    expect(custom.target).toBe('deal.custom:Zorbling Index');
    expect(custom.confidence).toBeLessThan(0.75);
  });

  it('knows British and vendor spellings of created, changed and limitation dates', () => {
    const proposal = proposeMapping([
      file(
        'people.csv',
        'contact',
        [
          column('Person Key', { kinds: ids }),
          column('Entered On', { kinds: dates }),
          column('Last Changed', { kinds: dates }),
        ],
        'Person Key',
      ),
      file(
        'matters.csv',
        'claim',
        [column('Matter Key', { kinds: ids }), column('Limitation Deadline', { kinds: dates })],
        'Matter Key',
      ),
    ]);
    expect(targets(proposal, 'people.csv')).toEqual({
      'Person Key': 'person.ref:contact',
      'Entered On': 'person.add_time',
      'Last Changed': null,
    });
    expect(targets(proposal, 'matters.csv')['Limitation Deadline']).toBe(
      'deal.custom:Statute of Limitations',
    );
  });
});

describe('a second column naming rows of the same parent', () => {
  const staffNames: ColumnReference = {
    object: 'staff',
    file: 'staff.csv',
    overlap: 1,
    column: 'Name',
    byKey: false,
  };
  const staff: ExtractedFile = {
    file: 'staff.csv',
    detection: { object: 'staff', confidence: 0.9, reason: 'test' },
    rowCount: 6,
    keyColumn: 'Staff ID',
    columns: [
      column('Staff ID', { kinds: [{ kind: 'integer', share: 1 }], distinct: 6 }),
      column('Name', { distinct: 6 }),
    ],
  };
  const claims = (extra: ColumnProfile): ExtractedFile => ({
    file: 'cases.csv',
    detection: { object: 'claim', confidence: 0.9, reason: 'test' },
    rowCount: 20,
    keyColumn: 'Case ID',
    columns: [
      column('Case ID', { kinds: [{ kind: 'integer', share: 1 }] }),
      { ...column('Case Caption'), index: 1 },
      { ...column('Atty Assigned', { references: [staffNames], distinct: 6 }), index: 2 },
      { ...extra, index: 3 },
    ],
  });

  it('keeps a second staff column with other people in it as a role of its own (a case manager)', () => {
    const proposal = proposeMapping([staff, claims(column('CM', { references: [staffNames], distinct: 5 }))]);
    const fields = proposal.objects.find((o) => o.file === 'cases.csv')?.fields ?? [];
    expect(fields.find((f) => f.column === 'Atty Assigned')?.target).toBe('deal.owner_id');
    const cm = fields.find((f) => f.column === 'CM');
    expect(cm?.target).toBe('deal.custom:CM');
    expect(cm?.reason).toMatch(/a role of its own/);
  });

  it('still leaves out a copy of the owner column', () => {
    const proposal = proposeMapping([
      staff,
      claims({
        ...column('Owner Copy', { references: [staffNames], distinct: 6 }),
        duplicateOf: 'Atty Assigned',
      }),
    ]);
    const fields = proposal.objects.find((o) => o.file === 'cases.csv')?.fields ?? [];
    expect(fields.find((f) => f.column === 'Owner Copy')?.target).toBeNull();
  });
});

describe('a date named like a field another column gives', () => {
  it('is that field’s date when the catalogue has one, and stays apart when its values are not dates', () => {
    const claims = file(
      'cases.csv',
      'claim',
      [
        column('Case ID', { kinds: ids }),
        column('Case Title'),
        column('Stage', { samples: ['Open', 'Closed'], distinct: 2 }),
        column('Stage Since', { kinds: dates, samples: ['3/4/2021'] }),
        column('Stage Owner', { samples: ['Ann', 'Bo'], distinct: 2 }),
      ],
      'Case ID',
    );
    const mapped = targets(proposeMapping([claims]), 'cases.csv');
    expect(mapped.Stage).toBe('deal.status');
    expect(mapped['Stage Since']).toBe('deal.custom:Status Date');
    expect(mapped['Stage Owner']).not.toBe('deal.custom:Status Date');
  });
});

describe('a staff file keyed by initials', () => {
  it('maps the initials as the staff key, not another column whose header says id', () => {
    const staff = file(
      'people.csv',
      'staff',
      [
        column('Initials', { samples: ['ABK', 'JKO', 'MNA'] }),
        column('Full Name', { samples: ['Anna Bek', 'Jan Kowal'] }),
        column('Email', { kinds: emails, samples: ['a@firm.com'] }),
        column('Licence ID', { kinds: [{ kind: 'id', share: 1 }], samples: ['LC-2020-1'], fill: 0.3 }),
      ],
      'Initials',
    );
    const mapped = targets(proposeMapping([staff]), 'people.csv');
    expect(mapped.Initials).toBe('user.ref:staff');
    expect(mapped['Licence ID']).not.toBe('user.ref:staff');
  });
});

describe('run-together words', () => {
  it('are split into known words, not into two-letter scraps of a foreign word', () => {
    expect(headerTokens('emailaddr')).toEqual(['email', 'address']);
    expect(headerTokens('clientid')).toEqual(['client', 'id']);
    // Dutch 'laatst' (last) is no street ('st') or 'at'.
    expect(headerTokens('Laatst gewijzigd')).toEqual(['laatst', 'gewijzigd']);
  });
});

describe('CRM API names', () => {
  it('reads County__c as County, and names its custom fields without the suffix', () => {
    const contacts: ExtractedFile = {
      file: 'Contact.csv',
      detection: { object: 'contact', confidence: 0.9, reason: 'test' },
      rowCount: 20,
      keyColumn: 'Id',
      columns: [
        column('Id', { kinds: [{ kind: 'id', share: 1 }] }),
        { ...column('LastName'), index: 1 },
        { ...column('County__c', { distinct: 4 }), index: 2 },
        { ...column('Favourite_Colour__c', { distinct: 15 }), index: 3 },
      ],
    };
    const fields = proposeMapping([contacts]).objects[0]?.fields ?? [];
    expect(fields.find((f) => f.column === 'County__c')?.target).toBe('person.custom:County');
    expect(fields.find((f) => f.column === 'Favourite_Colour__c')?.target).toBe(
      'person.custom:Favourite Colour',
    );
  });
});

describe('forms of address', () => {
  it('takes a column of Mr./Ms./Lic. for the prefix, whatever the header, and leaves the job title to the occupation', () => {
    const contacts: ExtractedFile = {
      file: 'CLIENTES.csv',
      detection: { object: 'contact', confidence: 0.9, reason: 'test' },
      rowCount: 20,
      keyColumn: 'No. de Cliente',
      columns: [
        column('No. de Cliente', { kinds: [{ kind: 'integer', share: 1 }] }),
        { ...column('Apellidos'), index: 1 },
        { ...column('Título', { samples: ['Ms.', 'Mrs.', 'Mr.', 'Lic.'], distinct: 4 }), index: 2 },
        { ...column('Occupation', { samples: ['Driver', 'Nurse'], distinct: 6 }), index: 3 },
      ],
    };
    const fields = proposeMapping([contacts]).objects[0]?.fields ?? [];
    expect(fields.find((f) => f.column === 'Título')?.target).toBe('person.custom:Prefix');
    expect(fields.find((f) => f.column === 'Occupation')?.target).toBe('person.job_title');
  });
});
