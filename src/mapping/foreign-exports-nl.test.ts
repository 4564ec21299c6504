import { describe, expect, it } from 'vitest';
import { checkExport, csv, expectColumns, proposeExport, rows } from './test-support.ts';

/** A Dutch export, written here (not taken from the evaluation styles), read as an English one would be. */

const VOORNAAM = ['Sanne', 'Daan', 'Emma', 'Lars', 'Fleur', 'Bram', 'Julia', 'Thijs'];
const TUSSENVOEGSEL = ['van', '', 'de', 'van der', '', 'van den', '', 'ter'];
const ACHTERNAAM = ['Dijk', 'Jansen', 'Vries', 'Berg', 'Bakker', 'Broek', 'Visser', 'Horst'];

const DUTCH_EXPORT = [
  csv('Relaties.csv', [
    'Relatienummer;Aanhef;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;E-mailadres;Telefoon;Straat;Postcode;Woonplaats',
    ...rows(
      8,
      (i) =>
        `R${5001 + i};${i % 2 ? 'Dhr.' : 'Mevr.'};${VOORNAAM[i]};${TUSSENVOEGSEL[i]};${ACHTERNAAM[i]};${10 + i}-0${1 + (i % 9)}-19${60 + i};${VOORNAAM[i]!.toLowerCase()}@voorbeeld.nl;06-1234567${i};Kerkstraat ${i + 1};10${11 + i} AB;Amsterdam`,
    ),
  ]),
  csv('Dossiers.csv', [
    'Dossiernummer;Dossiernaam;Relatienummer;Soort zaak;Status;Datum geopend;Schadebedrag;Behandelaar;Wederpartij;Rechtbank',
    ...rows(
      12,
      (i) =>
        `24-0${100 + i};${ACHTERNAAM[i % 8]} / Verzekeraar ${i};R${5001 + (i % 8)};Letselschade;${['Open', 'Gesloten', 'Aangehouden'][i % 3]};0${1 + (i % 9)}-03-2024;€ ${12 + i}.500,00;mr. De Boer;Verzekeraar ${i} N.V.;Rechtbank Amsterdam`,
    ),
  ]),
  csv('Notities.csv', [
    'Notitienummer;Dossiernummer;Datum;Auteur;Notitie',
    ...rows(
      20,
      (i) =>
        `${9001 + i};24-0${100 + (i % 12)};1${i % 9}-04-2024;mr. De Boer;Telefoongesprek met cliënt ${i}`,
    ),
  ]),
];

describe('a Dutch export', () => {
  it(
    'reads a Dutch export: relaties, dossiers by dossiernummer, notities on the dossiers',
    checkExport(DUTCH_EXPORT, {
      contacts: 'Relaties.csv',
      matters: 'Dossiers.csv',
      notes: 'Notities.csv',
      keys: {
        'Relaties.csv': 'Relatienummer',
        'Dossiers.csv': 'Dossiernummer',
        'Notities.csv': 'Notitienummer',
      },
      columns: {
        'Relaties.csv': {
          Aanhef: 'person.custom:Prefix',
          Voornaam: 'person.first_name',
          Achternaam: 'person.last_name',
          Geboortedatum: 'person.custom:Date of Birth',
          'E-mailadres': 'person.emails',
          Telefoon: 'person.phones',
          Straat: 'person.custom:Address',
          Postcode: 'person.custom:Address',
          Woonplaats: 'person.custom:Address',
        },
        'Dossiers.csv': {
          Dossiernaam: 'deal.title',
          Relatienummer: 'deal.person_id',
          Status: 'deal.status',
          'Datum geopend': 'deal.custom:Date Opened',
          Schadebedrag: 'deal.custom:Demand Amount',
          Behandelaar: 'deal.owner_id',
          Wederpartij: 'deal.custom:Defendants',
          Rechtbank: 'deal.custom:Court',
        },
        'Notities.csv': { Dossiernummer: 'note.deal_id', Datum: 'note.add_time', Notitie: 'note.content' },
      },
    }),
  );

  it.each([
    ['Uren.csv', 'billing_entry', { Dossiernummer: 'deal.ref:claim', Uren: 'deal.custom:Hours Billed' }],
    [
      'Medewerkers.csv',
      'staff',
      { Initialen: 'user.ref:staff', 'E-mailadres': 'user.email', Actief: 'user.active_flag' },
    ],
    [
      'Taken.csv',
      'task',
      {
        Dossiernummer: 'activity.deal_id',
        Onderwerp: 'activity.subject',
        Vervaldatum: 'activity.due_date',
        Afgerond: 'activity.done',
      },
    ],
    [
      'Documenten.csv',
      'document',
      { Dossiernummer: 'file.deal_id', Bestandsnaam: 'file.name', Pad: 'file.file' },
    ],
    [
      'Statusgeschiedenis.csv',
      'status_history',
      { Dossiernummer: 'deal.ref:claim', 'Nieuwe status': 'note.content', 'Gewijzigd op': 'note.add_time' },
    ],
  ] as const)('%s is %s with its columns read', async (file, object, columns) => {
    const { decided, proposal } = await proposeExport(OTHER_OBJECTS);
    expect(decided.get(file)?.object).toBe(object);
    expectColumns(proposal, file, columns);
  });
});

const OTHER_OBJECTS = [
  csv('Relaties.csv', [
    'Relatienummer;Voornaam;Achternaam;E-mailadres',
    ...rows(8, (i) => `${1001 + i};V${i};A${i};v${i}@x.nl`),
  ]),
  csv('Dossiers.csv', [
    'Dossiernummer;Dossiernaam;Relatienummer;Behandelaar;Status',
    ...rows(12, (i) => `D${500 + i};X / Y ${i};${1001 + (i % 8)};JB;${['open', 'gesloten'][i % 2]}`),
  ]),
  csv('Medewerkers.csv', [
    'Initialen;Voornaam;Achternaam;E-mailadres;Actief',
    ...rows(4, (i) => `JB${i};V${i};A${i};m${i}@kantoor.nl;${['ja', 'nee'][i % 2]}`),
  ]),
  csv('Taken.csv', [
    'Taaknummer;Dossiernummer;Onderwerp;Vervaldatum;Afgerond;Behandelaar',
    ...rows(
      15,
      (i) =>
        `${3000 + i};D${500 + (i % 12)};Conclusie ${i};1${i % 9}-05-2024;${['ja', 'nee'][i % 2]};JB${i % 4}`,
    ),
  ]),
  csv('Documenten.csv', [
    'Documentnummer;Dossiernummer;Bestandsnaam;Pad',
    ...rows(
      15,
      (i) => `${6000 + i};D${500 + (i % 12)};Brief${i}.pdf;dossiers/D${500 + (i % 12)}/Brief${i}.pdf`,
    ),
  ]),
  csv('Uren.csv', [
    'Boekingsnummer;Dossiernummer;Datum;Uren;Uurtarief;Bedrag;Declarabel',
    ...rows(
      15,
      (i) =>
        `${9000 + i};D${500 + (i % 12)};0${1 + (i % 9)}-04-2024;1,5;250,00;375,00;${['ja', 'nee'][i % 2]}`,
    ),
  ]),
  csv('Statusgeschiedenis.csv', [
    'Dossiernummer;Oude status;Nieuwe status;Gewijzigd op;Gewijzigd door',
    ...rows(
      20,
      (i) =>
        `D${500 + (i % 12)};open;${['aangehouden', 'gesloten'][i % 2]};0${1 + (i % 9)}-04-2024;JB${i % 4}`,
    ),
  ]),
];

const COMPANIES = [
  csv('Bedrijven.csv', [
    'Bedrijfsnummer;Naam;Telefoon;Vestigingsplaats',
    ...rows(6, (i) => `${700 + i};Bouwbedrijf ${i} B.V.;020-123456${i};Utrecht`),
  ]),
];

describe('Dutch words that are ambiguous alone', () => {
  it('reads "Naam" alone in a companies file as the company name', async () => {
    const { decided, proposal } = await proposeExport(COMPANIES);
    expect(decided.get('Bedrijven.csv')?.object).toBe('company');
    expectColumns(proposal, 'Bedrijven.csv', { Naam: 'organization.name' });
  });
});
