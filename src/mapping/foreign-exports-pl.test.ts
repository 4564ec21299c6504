import { describe, expect, it } from 'vitest';
import { checkExport, csv, expectColumns, proposeExport, rows } from './test-support.ts';

/** A Polish export, written here (not taken from the evaluation styles), read as an English one would be. */

const IMIE = ['Zofia', 'Jakub', 'Maja', 'Szymon', 'Hanna', 'Kacper', 'Lena', 'Michał'];
const NAZWISKO = [
  'Nowak',
  'Kowalski',
  'Wiśniewska',
  'Wójcik',
  'Kowalczyk',
  'Kamiński',
  'Lewandowska',
  'Zieliński',
];

const POLISH_EXPORT = [
  csv('Klienci.csv', [
    'Numer klienta;Imię;Nazwisko;PESEL;Data urodzenia;Adres e-mail;Telefon komórkowy;Ulica;Kod pocztowy;Miejscowość',
    ...rows(
      8,
      (i) =>
        `K/${201 + i};${IMIE[i]};${NAZWISKO[i]};8${i}0101123${40 + i};${10 + i}.0${1 + (i % 9)}.19${70 + i};${IMIE[i]!.toLowerCase()}@przyklad.pl;+48 600 100 2${10 + i};ul. Długa ${i + 1};00-0${10 + i};Warszawa`,
    ),
  ]),
  csv('Sprawy.csv', [
    'Numer sprawy;Sygnatura akt;Przedmiot sprawy;Numer klienta;Rodzaj sprawy;Status;Data otwarcia;Wartość przedmiotu sporu;Prowadzący;Strona przeciwna;Sąd',
    ...rows(
      12,
      (i) =>
        `S/2024/${30 + i};I C ${400 + i}/24;${NAZWISKO[i % 8]} p. Ubezpieczyciel ${i};K/${201 + (i % 8)};Cywilna;${['Otwarta', 'Zamknięta', 'Zawieszona'][i % 3]};0${1 + (i % 9)}.05.2024;${20 + i} 000,00 zł;r.pr. Mazur;Ubezpieczyciel ${i} S.A.;Sąd Rejonowy w Warszawie`,
    ),
  ]),
  csv('Notatki.csv', [
    'ID notatki;Numer sprawy;Data;Autor;Treść',
    ...rows(
      20,
      (i) =>
        `${8001 + i};S/2024/${30 + (i % 12)};1${i % 9}.06.2024;r.pr. Mazur;Rozmowa telefoniczna z klientem ${i}`,
    ),
  ]),
];

describe('a Polish export', () => {
  it(
    'reads a Polish export: klienci, sprawy by numer sprawy, notatki on the sprawy',
    checkExport(POLISH_EXPORT, {
      contacts: 'Klienci.csv',
      matters: 'Sprawy.csv',
      notes: 'Notatki.csv',
      keys: { 'Klienci.csv': 'Numer klienta', 'Sprawy.csv': 'Numer sprawy', 'Notatki.csv': 'ID notatki' },
      columns: {
        'Klienci.csv': {
          Imię: 'person.first_name',
          Nazwisko: 'person.last_name',
          'Data urodzenia': 'person.custom:Date of Birth',
          'Adres e-mail': 'person.emails',
          'Telefon komórkowy': 'person.phones',
          Ulica: 'person.custom:Address',
          'Kod pocztowy': 'person.custom:Address',
          Miejscowość: 'person.custom:Address',
        },
        'Sprawy.csv': {
          'Przedmiot sprawy': 'deal.title',
          'Numer klienta': 'deal.person_id',
          Status: 'deal.status',
          'Data otwarcia': 'deal.custom:Date Opened',
          'Wartość przedmiotu sporu': 'deal.custom:Demand Amount',
          Prowadzący: 'deal.owner_id',
          'Strona przeciwna': 'deal.custom:Defendants',
          Sąd: 'deal.custom:Court',
        },
        'Notatki.csv': { 'Numer sprawy': 'note.deal_id', Autor: 'note.user_id', Treść: 'note.content' },
      },
    }),
  );

  it.each([
    [
      'Godziny.csv',
      'billing_entry',
      { 'Numer sprawy': 'deal.ref:claim', 'Liczba godzin': 'deal.custom:Hours Billed' },
    ],
    [
      'Pracownicy.csv',
      'staff',
      { Inicjały: 'user.ref:staff', 'Imię i nazwisko': 'user.name', Aktywny: 'user.active_flag' },
    ],
    [
      'Sprawy.csv',
      'claim',
      { 'Numer klienta': 'deal.person_id', Status: 'deal.status', 'Data zamknięcia': 'deal.close_time' },
    ],
    [
      'Zadania.csv',
      'task',
      {
        'Numer sprawy': 'activity.deal_id',
        Temat: 'activity.subject',
        'Termin wykonania': 'activity.due_date',
        Wykonane: 'activity.done',
      },
    ],
    [
      'Dokumenty.csv',
      'document',
      { 'Numer sprawy': 'file.deal_id', 'Nazwa pliku': 'file.name', Ścieżka: 'file.file' },
    ],
    [
      'Historia statusów.csv',
      'status_history',
      { 'Numer sprawy': 'deal.ref:claim', 'Nowy status': 'note.content', 'Data zmiany': 'note.add_time' },
    ],
  ] as const)('%s is %s with its columns read', async (file, object, columns) => {
    const { decided, proposal } = await proposeExport(OTHER_OBJECTS);
    expect(decided.get(file)?.object).toBe(object);
    expectColumns(proposal, file, columns);
  });
});

const OTHER_OBJECTS = [
  csv('Kontakty.csv', [
    'Numer klienta;Imię;Nazwisko;Adres e-mail',
    ...rows(8, (i) => `${1001 + i};I${i};N${i};i${i}@x.pl`),
  ]),
  csv('Sprawy.csv', [
    'Numer sprawy;Tytuł sprawy;Numer klienta;Prowadzący;Status;Data zamknięcia',
    ...rows(
      12,
      (i) =>
        `S${500 + i};X p. Y ${i};${1001 + (i % 8)};AM;${['otwarta', 'zamknięta'][i % 2]};0${1 + (i % 9)}.04.2024`,
    ),
  ]),
  csv('Pracownicy.csv', [
    'Inicjały;Imię i nazwisko;Adres e-mail;Aktywny',
    ...rows(4, (i) => `AM${i};Anna Mazur ${i};a${i}@kancelaria.pl;${['tak', 'nie'][i % 2]}`),
  ]),
  csv('Zadania.csv', [
    'Numer zadania;Numer sprawy;Temat;Termin wykonania;Wykonane;Prowadzący',
    ...rows(
      15,
      (i) =>
        `${3000 + i};S${500 + (i % 12)};Pozew ${i};1${i % 9}.05.2024;${['tak', 'nie'][i % 2]};AM${i % 4}`,
    ),
  ]),
  csv('Dokumenty.csv', [
    'Numer dokumentu;Numer sprawy;Nazwa pliku;Ścieżka',
    ...rows(15, (i) => `${6000 + i};S${500 + (i % 12)};Pismo${i}.pdf;akta/Pismo${i}.pdf`),
  ]),
  csv('Godziny.csv', [
    'ID;Numer sprawy;Data;Liczba godzin;Stawka godzinowa;Kwota;Do zafakturowania',
    ...rows(
      15,
      (i) =>
        `${9000 + i};S${500 + (i % 12)};0${1 + (i % 9)}.04.2024;1,5;300,00;450,00;${['tak', 'nie'][i % 2]}`,
    ),
  ]),
  csv('Historia statusów.csv', [
    'Numer sprawy;Poprzedni status;Nowy status;Data zmiany;Zmienione przez',
    ...rows(
      20,
      (i) =>
        `S${500 + (i % 12)};otwarta;${['zawieszona', 'zamknięta'][i % 2]};0${1 + (i % 9)}.04.2024;AM${i % 4}`,
    ),
  ]),
];

const COMPANIES = [
  csv('Firmy.csv', [
    'Identyfikator;Nazwa;NIP;Data',
    ...rows(6, (i) => `${900 + i};Budimex ${i} Sp. z o.o.;52${i}1234567;x${i}`),
  ]),
];

describe('Polish words that are ambiguous alone', () => {
  it('reads "Nazwa" in a companies file as the company name', async () => {
    const { decided, proposal } = await proposeExport(COMPANIES);
    expect(decided.get('Firmy.csv')?.object).toBe('company');
    expectColumns(proposal, 'Firmy.csv', { Nazwa: 'organization.name' });
  });

  it('does not read "Data" alone, holding no dates, as a date', async () => {
    const { proposal } = await proposeExport(COMPANIES);
    const data = proposal.objects
      .find((o) => o.file === 'Firmy.csv')
      ?.fields.find((f) => f.column === 'Data');
    expect(data?.target ?? null).not.toMatch(/date|time/);
  });
});
