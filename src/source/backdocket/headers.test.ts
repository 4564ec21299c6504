import { describe, expect, it } from 'vitest';
import { conceptsOf, dedupeHeaders, normalizeHeader } from './headers.ts';
import { classifyValue } from './value-kinds.ts';

describe('header aliases (§5.17 and more)', () => {
  it.each([
    ['Claim ID', 'claim_id'],
    ['ClaimID', 'claim_id'],
    ['claim_id', 'claim_id'],
    ['Case ID', 'claim_id'],
    ['Claim #', 'claim_number'],
    ['Matter ID', 'matter_id'],
    ['DOL', 'date_of_incident'],
    ['Accident Date', 'date_of_incident'],
    ['Fecha de incidente', 'date_of_incident'],
    ['WC: Date of Injury', 'date_of_incident'],
    ['SOL Date', 'statute_of_limitations'],
    ['Responsible Attorney', 'lead_attorney'],
    ['Gross Settlement', 'settlement'],
    ['Current Status', 'status'],
    ['Correo electrónico', 'email'],
    ['E-mail Address', 'email'],
    ['Teléfono', 'phone'],
    ['Caller Phone', 'phone'],
    ['Nombre', 'first_name'],
    ['SSN Last 4', 'ssn'],
    ['Parent Company ID', 'company_id'],
  ])('%s → %s', (header, concept) => {
    expect(conceptsOf(header)).toContain(concept);
  });

  it('normalises casing, camelCase, snake_case, # and accents', () => {
    expect(normalizeHeader('clientContactID')).toBe('client contact id');
    expect(normalizeHeader('Invoice No.')).toBe('invoice number');
    expect(normalizeHeader('  MÉDICO_ID ')).toBe('medico id');
  });

  it('drops an Access type tag (strLastName, ysnActive, lngClientID), keeping a date tag as a word', () => {
    expect(normalizeHeader('strLastName')).toBe(normalizeHeader('Last Name'));
    expect(normalizeHeader('ysnActive')).toBe('active');
    expect(normalizeHeader('dtmNote')).toBe(normalizeHeader('Date Note'));
    expect(normalizeHeader('dtmDueDate')).toBe(normalizeHeader('Due Date'));
    expect(conceptsOf('lngClientID')).toContain('contact_id');
    // Words that merely start like a tag, and headers of several words, are as they are.
    expect(normalizeHeader('intakeDate')).toBe('intake date');
    expect(normalizeHeader('Str Name')).toBe('str name');
  });

  it('de-duplicates without colliding with an existing name', () => {
    expect(dedupeHeaders(['Notes', 'Notes', 'Notes_2', '']).names).toEqual([
      'Notes',
      'Notes_3',
      'Notes_2',
      'Column_4',
    ]);
  });
});

describe('value kinds', () => {
  it.each([
    ['$1,250.00', 'money', undefined],
    ['(350.00)', 'money', undefined],
    ['$1.250,00', 'money', 'decimal-comma'],
    ['33 1/3%', 'percent', undefined],
    ['4/9/21', 'date', 'M/D/YY'],
    ['04/02/2021', 'date', 'MM/DD/YYYY'],
    ['Apr 12 2021', 'date', 'MMM D YYYY'],
    ['2021-04-12T15:03:11', 'datetime', 'YYYY-MM-DDTHH:mm:ss'],
    ['04/02/2021 9:14 AM', 'datetime', 'MM/DD/YYYY h:mm'],
    ['15-08-2015 14:07', 'datetime', 'MM-DD-YYYY h:mm'],
    ['(713) 555-0101', 'phone', undefined],
    ['=+17135550101', 'phone', 'formula'],
    ['MReyes@SmithLawFirm.com', 'email', undefined],
    ['2.02301E+11', 'number', 'scientific'],
    ['07030', 'id', 'digits'],
    ['BD-2021-0417', 'id', undefined],
    ['1:30', 'number', 'h:mm'],
    ['90m', 'number', 'minutes'],
    ['Yes', 'boolean', 'yes'],
    ['3.912,22', 'number', 'decimal-comma'],
    ['5724,79', 'number', 'decimal-comma'],
    ['1,250', 'number', 'grouped'],
    ['42.893,07 €', 'money', 'decimal-comma'],
    ['33,33 %', 'percent', 'decimal-comma'],
    ['Called adjuster, left voicemail', 'text', undefined],
    ['20221018 1021', 'datetime', 'YYYYMMDD HHmm'],
    ['20.09.2020 11:00', 'datetime', 'DD.MM.YYYY HH:mm'],
    ['20221318 1021', 'phone', undefined],
    ['20151122', 'integer', undefined],
  ])('%s → %s', (value, kind, format) => {
    const result = classifyValue(value);
    expect(result.kind).toBe(kind);
    if (format !== undefined) expect(result.format).toBe(format);
  });
});
