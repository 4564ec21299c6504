import { describe, expect, it } from 'vitest';
import { normaliseHeader } from '../../mapping/normalise-header.ts';
import { transformBoolean } from '../../mapping/transforms/text.ts';
import { normalizeHeader } from '../../source/backdocket/headers.ts';
import { booleanFamily, classifyValue } from '../../source/backdocket/value-kinds.ts';
import { translateHeaderTokens } from './index.ts';

describe('headers in German, French, Italian, Portuguese, Dutch, Spanish, Polish and Scandinavian languages', () => {
  it.each([
    ['Mandantennummer', 'client number'],
    ['Geburtsdatum', 'birth date'],
    ['Fälligkeitsdatum', 'due date'],
    ['Faelligkeitsdatum', 'due date'],
    ['Straße', 'street'],
    ['Strasse', 'street'],
    ['Aktenzeichen', 'file number'],
    ['Akten-Nr.', 'claim number'],
    ['Date d’ouverture', 'date opened'],
    ['N° dossier', 'claim number'],
    ['Réf. dossier', 'file number'],
    ['Nom', 'last name'],
    ['Prénom', 'first name'],
    ['Data di nascita', 'birth date'],
    ['Numero pratica', 'claim number'],
    ['Data de abertura', 'date opened'],
    ['Advogado responsável', 'responsible attorney'],
    ['Valor da causa', 'demand amount'],
    ['CAP', 'zip'],
    ['Dossiernummer', 'claim number'],
    ['Geboortedatum', 'birth date'],
    ['E-mailadres', 'email'],
    ['Bestandsnaam', 'file name'],
    ['Gewijzigd door', 'changed by'],
    ['Gewijzigd op', 'changed on'],
    ['Fecha de apertura', 'date opened'],
    ['Correo electrónico', 'email'],
    ['Abogado responsable', 'responsible attorney'],
    ['Estado anterior', 'old status'],
    ['Número de expediente', 'claim number'],
    ['Numer sprawy', 'claim number'],
    ['Numer klienta', 'client number'],
    ['Data otwarcia', 'date opened'],
    ['Data zamknięcia', 'closed date'],
    ['DATA ZAMKNIECIA', 'closed date'],
    ['Miejscowość', 'city'],
    ['Ścieżka', 'path'],
    ['Zmienione przez', 'changed by'],
    ['Wartość przedmiotu sporu', 'demand amount'],
    ['Ärendenummer', 'claim number'],
    ['Förnamn', 'first name'],
    ['Födelsedatum', 'birth date'],
    ['Sagsnummer', 'claim number'],
    ['Fødselsdato', 'birth date'],
    ['Ændret af', 'changed by'],
    ['Saksnummer', 'claim number'],
    ['Etternavn', 'last name'],
    ['Endret av', 'changed by'],
  ])('reads %s as %s, the same in the reader and in the mapping', (header, english) => {
    expect(normaliseHeader(header)).toBe(english);
    expect(normalizeHeader(header)).toBe(english);
  });

  it.each([
    'Data',
    'Land',
    'Art',
    'Name',
    'Date',
    'Fine',
    'Do Not Contact',
    'Data Source',
    'CP Rate',
    'GSM Carrier',
    'By',
    'Gate',
    'Timer',
  ])(
    'leaves %s alone: a word English also uses is read in another language only beside one of its words',
    (header) => {
      const tokens = header.toLowerCase().split(' ');
      expect(translateHeaderTokens(tokens)).toEqual(tokens);
    },
  );

  it('reads an ambiguous word beside a foreign one: Italian "Data" beside "inizio" or "sinistro" is a date', () => {
    expect(translateHeaderTokens(['data', 'inizio'])).toEqual(['start', 'date']);
    expect(translateHeaderTokens(['data', 'sinistro'])).toEqual(['incident', 'date']);
  });

  it('reads a Polish or Spanish ambiguous word only in its phrase: "Data" alone stays, "Data urodzenia" is a birth date', () => {
    expect(translateHeaderTokens(['data'])).toEqual(['data']);
    expect(translateHeaderTokens(['data', 'urodzenia'])).toEqual(['birth', 'date']);
  });

  it('splits a Dutch compound on its head and leaves an unknown one alone', () => {
    expect(translateHeaderTokens(['klantnaam'])).toEqual(['client', 'name']);
    expect(translateHeaderTokens(['factuurnummer'])).toEqual(['invoice', 'number']);
    expect(translateHeaderTokens(['suikernaam'])).toEqual(['suikernaam']);
  });

  it('does not split an unknown German word on a known ending', () => {
    expect(translateHeaderTokens(['zuckerdatum'])).toEqual(['zuckerdatum']);
  });
});

describe('yes/no values in German, French, Italian, Portuguese, Dutch, Spanish, Polish and Scandinavian languages', () => {
  it.each([
    ['ja', true],
    ['Nein', false],
    ['oui', true],
    ['non', false],
    ['sim', true],
    ['não', false],
    ['wahr', true],
    ['falsch', false],
    ['vrai', true],
    ['faux', false],
    ['nee', false],
    ['waar', true],
    ['onwaar', false],
    ['Sí', true],
    ['no', false],
    ['tak', true],
    ['nie', false],
    ['prawda', true],
    ['fałsz', false],
    ['nej', false],
    ['nei', false],
  ])('%s is %s', (value, expected) => {
    expect(transformBoolean(value)).toEqual({ ok: true, value: expected });
    expect(classifyValue(value).kind).toBe('boolean');
    expect(booleanFamily(value)).not.toBeNull();
  });
});
