import { describe, it } from 'vitest';
import { checkExport, csv, rows } from './test-support.ts';

/** Swedish, Danish and Norwegian exports, written here (not taken from the evaluation styles). */

const SWEDISH_EXPORT = [
  csv('Klienter.csv', [
    'Klientnr;Förnamn;Efternamn;Födelsedatum;E-post;Telefon;Gatuadress;Postnummer;Postort',
    ...rows(
      8,
      (i) =>
        `${601 + i};Astrid${i};Lindqvist${i};19${70 + i}-0${1 + (i % 9)}-1${i};astrid${i}@exempel.se;070-123 45 6${i};Storgatan ${i + 1};11${i} 22;Stockholm`,
    ),
  ]),
  csv('Ärenden.csv', [
    'Ärendenummer;Rubrik;Klientnr;Ärendetyp;Status;Ansvarig jurist;Motpart;Domstol',
    ...rows(
      12,
      (i) =>
        `A24-${40 + i};Lindqvist ./. Försäkring ${i};${601 + (i % 8)};Tvistemål;${['Öppen', 'Avslutad'][i % 2]};Advokat Berg;Försäkring ${i} AB;Stockholms tingsrätt`,
    ),
  ]),
  csv('Anteckningar.csv', [
    'Anteckningsnr;Ärendenummer;Datum;Anteckning',
    ...rows(20, (i) => `${9001 + i};A24-${40 + (i % 12)};2024-04-1${i % 9};Samtal med klienten ${i}`),
  ]),
];

const DANISH_EXPORT = [
  csv('Klienter.csv', [
    'Klientnummer;Fornavn;Efternavn;Fødselsdato;E-mail;Telefon;Adresse;Postnr.',
    ...rows(
      8,
      (i) =>
        `${701 + i};Freja${i};Jørgensen${i};1${i}-0${1 + (i % 9)}-19${70 + i};freja${i}@eksempel.dk;+45 20 30 40 5${i};Vestergade ${i + 1};${1000 + i}`,
    ),
  ]),
  csv('Sager.csv', [
    'Sagsnummer;Titel;Klientnummer;Sagstype;Status;Ansvarlig advokat;Modpart;Retten',
    ...rows(
      12,
      (i) =>
        `S-${300 + i};Jørgensen mod Forsikring ${i};${701 + (i % 8)};Erstatning;${['Åben', 'Afsluttet'][i % 2]};Advokat Holm;Forsikring ${i} A/S;Københavns Byret`,
    ),
  ]),
  csv('Notater.csv', [
    'Notatnr;Sagsnummer;Dato;Notat',
    ...rows(20, (i) => `${8001 + i};S-${300 + (i % 12)};1${i % 9}-04-2024;Telefonsamtale med klienten ${i}`),
  ]),
];

describe('Scandinavian exports', () => {
  it(
    'reads a Swedish export: klienter, ärenden by ärendenummer, anteckningar on the ärenden',
    checkExport(SWEDISH_EXPORT, {
      contacts: 'Klienter.csv',
      matters: 'Ärenden.csv',
      notes: 'Anteckningar.csv',
      keys: { 'Klienter.csv': 'Klientnr', 'Ärenden.csv': 'Ärendenummer' },
      columns: {
        'Klienter.csv': {
          Förnamn: 'person.first_name',
          Efternamn: 'person.last_name',
          Födelsedatum: 'person.custom:Date of Birth',
          'E-post': 'person.emails',
          Postnummer: 'person.custom:Address',
          Postort: 'person.custom:Address',
        },
        'Ärenden.csv': {
          Rubrik: 'deal.title',
          Klientnr: 'deal.person_id',
          Status: 'deal.status',
          'Ansvarig jurist': 'deal.owner_id',
          Motpart: 'deal.custom:Defendants',
          Domstol: 'deal.custom:Court',
        },
        'Anteckningar.csv': { Ärendenummer: 'note.deal_id', Anteckning: 'note.content' },
      },
    }),
  );

  it(
    'reads a Danish export: klienter, sager by sagsnummer, notater on the sager',
    checkExport(DANISH_EXPORT, {
      contacts: 'Klienter.csv',
      matters: 'Sager.csv',
      notes: 'Notater.csv',
      keys: { 'Klienter.csv': 'Klientnummer', 'Sager.csv': 'Sagsnummer' },
      columns: {
        'Klienter.csv': {
          Fornavn: 'person.first_name',
          Efternavn: 'person.last_name',
          Fødselsdato: 'person.custom:Date of Birth',
          'E-mail': 'person.emails',
          'Postnr.': 'person.custom:Address',
        },
        'Sager.csv': {
          Titel: 'deal.title',
          Klientnummer: 'deal.person_id',
          Status: 'deal.status',
          'Ansvarlig advokat': 'deal.owner_id',
          Modpart: 'deal.custom:Defendants',
          Retten: 'deal.custom:Court',
        },
        'Notater.csv': { Sagsnummer: 'note.deal_id', Dato: 'note.add_time', Notat: 'note.content' },
      },
    }),
  );
});
