import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyTransform,
  htmlToText,
  joinName,
  lookupValue,
  sanitizeHtml,
  splitName,
  splitValues,
  transformBoolean,
  transformDate,
  transformDateTime,
  transformEmail,
  transformHours,
  transformMoney,
  transformNumber,
  transformPercent,
  transformPhone,
  transformTime,
} from './index.ts';

const value = <T>(result: { ok: boolean; value?: T }) => (result.ok ? result.value : undefined);

describe('dates', () => {
  it('reads the formats BackDocket exports mix', () => {
    expect(value(transformDate('04/02/2021', { order: 'MDY' }))).toBe('2021-04-02');
    expect(value(transformDate('4/9/21', { order: 'MDY' }))).toBe('2021-04-09');
    expect(value(transformDate('2021-04-12T15:03:11'))).toBe('2021-04-12');
    expect(value(transformDate('Apr 12 2021'))).toBe('2021-04-12');
    expect(value(transformDate('12-Apr-21'))).toBe('2021-04-12');
    expect(value(transformDate('44298'))).toBe('2021-04-12');
    expect(value(transformDate('3/28/71'))).toBe('1971-03-28');
  });

  it('turns placeholders into empty values with an issue', () => {
    const result = transformDate('00/00/0000');
    expect(result).toMatchObject({ ok: true, value: null, issue: { code: 'placeholder_date' } });
    expect(transformDate('01/01/1900')).toMatchObject({ ok: true, value: null });
  });

  it('refuses an ambiguous day/month unless the order is configured', () => {
    expect(transformDate('03/04/21')).toMatchObject({ ok: false, issue: { code: 'ambiguous_date' } });
    expect(value(transformDate('03/04/21', { order: 'MDY' }))).toBe('2021-03-04');
    expect(value(transformDate('03/04/21', { order: 'DMY' }))).toBe('2021-04-03');
    expect(value(transformDate('13/04/21'))).toBe('2021-04-13');
  });

  it('uses declared formats first', () => {
    expect(value(transformDate('03/04/2021', { formats: ['DD/MM/YYYY'] }))).toBe('2021-04-03');
    expect(value(transformDate('44298', { formats: ['excel-serial'] }))).toBe('2021-04-12');
    expect(value(transformDate('20151122', { formats: ['YYYYMMDD'] }))).toBe('2015-11-22');
    expect(value(transformDate('20.09.2020 11:00', { formats: ['DD.MM.YYYY HH:mm'] }))).toBe('2020-09-20');
  });

  it('rejects impossible dates instead of rolling them over', () => {
    expect(transformDate('02/30/2021').ok).toBe(false);
    expect(transformDate('not a date').ok).toBe(false);
  });

  it('converts local timestamps to UTC with the source time zone, across DST', () => {
    expect(
      value(transformDateTime('04/02/2021 9:14 AM', { timeZone: 'America/Chicago', order: 'MDY' })),
    ).toBe('2021-04-02T14:14:00Z');
    expect(value(transformDateTime('01/15/2021 9:14 AM', { timeZone: 'America/Chicago' }))).toBe(
      '2021-01-15T15:14:00Z',
    );
    expect(value(transformDateTime('2021-04-12T15:03:11', { timeZone: 'Europe/Tallinn' }))).toBe(
      '2021-04-12T12:03:11Z',
    );
    expect(value(transformDateTime('2021-04-12T15:03:11Z', { timeZone: 'America/Chicago' }))).toBe(
      '2021-04-12T15:03:11Z',
    );
    expect(value(transformDateTime('2021-04-12T15:03:11+02:00'))).toBe('2021-04-12T13:03:11Z');
    expect(transformDateTime('2021-04-02 09:14', { timeZone: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      issue: { code: 'bad_time_zone' },
    });
  });

  it('reads clock times', () => {
    expect(value(transformTime('9:14 AM'))).toBe('09:14');
    expect(value(transformTime('12:05 am'))).toBe('00:05');
    expect(value(transformTime('17:30'))).toBe('17:30');
    expect(transformTime('25:00').ok).toBe(false);
  });
});

describe('money, percent, hours, numbers', () => {
  it('reads currency strings; blank and N/A are not zero', () => {
    expect(value(transformMoney('$1,250.00'))).toEqual({ amount: 1250, currency: 'USD' });
    expect(value(transformMoney('(350.00)'))).toEqual({ amount: -350, currency: 'USD' });
    expect(value(transformMoney('1250'))).toEqual({ amount: 1250, currency: 'USD' });
    expect(value(transformMoney('-75'))).toEqual({ amount: -75, currency: 'USD' });
    expect(value(transformMoney('$1.250,00'))).toEqual({ amount: 1250, currency: 'USD' });
    expect(value(transformMoney('€ 99,50'))).toEqual({ amount: 99.5, currency: 'EUR' });
    expect(value(transformMoney('"(8,332.50)"'.slice(1, -1)))).toEqual({ amount: -8332.5, currency: 'USD' });
    expect(value(transformMoney('0'))).toEqual({ amount: 0, currency: 'USD' });
    expect(transformMoney('')).toEqual({ ok: true, value: null });
    expect(transformMoney('N/A')).toMatchObject({ ok: true, value: null });
    expect(transformMoney('about 5k').ok).toBe(false);
  });

  it('normalises percentages to fractions', () => {
    expect(value(transformPercent('33 1/3%'))).toBeCloseTo(0.333333, 6);
    expect(value(transformPercent('33.33'))).toBeCloseTo(0.3333, 6);
    expect(value(transformPercent('0.3333'))).toBeCloseTo(0.3333, 6);
    expect(value(transformPercent('40%'))).toBe(0.4);
    // A decimal comma, as most of Europe and Latin America write it.
    expect(value(transformPercent('33,33 %'))).toBeCloseTo(0.3333, 6);
    expect(value(transformPercent('0,3333'))).toBeCloseTo(0.3333, 6);
    expect(transformPercent('forty').ok).toBe(false);
  });

  it('normalises hours to decimal', () => {
    expect(value(transformHours('1.5'))).toBe(1.5);
    expect(value(transformHours('1:30'))).toBe(1.5);
    expect(value(transformHours('90m'))).toBe(1.5);
    expect(value(transformHours('0:18'))).toBe(0.3);
    expect(value(transformHours('1h 30m'))).toBe(1.5);
    expect(transformHours('soon').ok).toBe(false);
  });

  it('flags scientific notation (Excel mangling)', () => {
    expect(transformNumber('2.02301E+11')).toMatchObject({
      ok: true,
      issue: { code: 'scientific_notation' },
    });
  });
});

describe('phones', () => {
  it('formats US numbers as E.164 and keeps + international numbers', () => {
    expect(value(transformPhone('(713) 555-0101'))).toBe('+17135550101');
    expect(value(transformPhone('713.555.0123'))).toBe('+17135550123');
    expect(value(transformPhone('1-713-555-0123'))).toBe('+17135550123');
    expect(value(transformPhone('+44 20 7946 0958'))).toBe('+442079460958');
    expect(value(transformPhone('020 7946 0958', { region: 'GB' }))).toBe('+442079460958');
    expect(value(transformPhone('(416) 555-0199', { region: 'CA' }))).toBe('+14165550199');
    expect(transformPhone('(713) 555-0101 x101')).toMatchObject({
      ok: true,
      value: '+17135550101',
      issue: { code: 'phone_extension_dropped' },
    });
  });

  it('turns invalid numbers into issues', () => {
    expect(transformPhone('713-555-01')).toMatchObject({ ok: false, issue: { code: 'invalid_phone' } });
    expect(transformPhone('maria@example.com')).toMatchObject({
      ok: false,
      issue: { code: 'phone_is_email' },
    });
    expect(transformPhone('(013) 555-0101').ok).toBe(false);
  });
});

describe('booleans, lists, names, e-mails, value maps', () => {
  it('reads the boolean spellings', () => {
    // -1 is how Access and Visual Basic store True.
    for (const yes of ['Yes', 'Y', 'TRUE', '1', '-1', 'X', 'sí'])
      expect(value(transformBoolean(yes))).toBe(true);
    for (const no of ['No', 'N', 'FALSE', '0']) expect(value(transformBoolean(no))).toBe(false);
    // A staff file's Status column reads as active or not.
    for (const yes of ['Active', 'current', 'Enabled']) expect(value(transformBoolean(yes))).toBe(true);
    for (const no of ['Inactive', 'Terminated', 'Former', 'disabled'])
      expect(value(transformBoolean(no))).toBe(false);
    expect(value(transformBoolean(''))).toBeNull();
    expect(value(transformBoolean('', { blankAs: false }))).toBe(false);
    expect(transformBoolean('maybe').ok).toBe(false);
  });

  it('splits multi-value cells by the declared delimiter', () => {
    expect(value(splitValues('Client; Witness;client', ';'))).toEqual(['Client', 'Witness']);
    expect(value(splitValues('Retainer Signed|Demand Sent|SOL', '|'))).toEqual([
      'Retainer Signed',
      'Demand Sent',
      'SOL',
    ]);
  });

  it('splits and joins names', () => {
    expect(value(splitName('Gonzalez, Maria E.'))).toEqual({
      first: 'Maria',
      middle: 'E.',
      last: 'Gonzalez',
    });
    expect(value(splitName('Dr. Juan de la Cruz Jr.'))).toEqual({
      prefix: 'Dr.',
      first: 'Juan',
      last: 'de la Cruz',
      suffix: 'Jr.',
    });
    expect(value(splitName('Tina O’Neil'))).toEqual({ first: 'Tina', last: 'O’Neil' });
    expect(joinName({ first: 'Maria', middle: 'E.', last: 'Gonzalez' })).toBe('Maria E. Gonzalez');
  });

  it('checks e-mails', () => {
    expect(value(transformEmail(' MReyes@SmithLawFirm.com '))).toBe('MReyes@smithlawfirm.com');
    expect(transformEmail('713-555-0101').ok).toBe(false);
  });

  it('looks values up despite spelling drift', () => {
    const map = { 'Active w/Contract': 'active', Closed: 'closed' };
    expect(value(lookupValue('ACTIVE W/CONTRACT ', map))).toBe('active');
    expect(value(lookupValue('Active w/ Contract', map))).toBe('active');
    expect(value(lookupValue('Active With Contract', map))).toBe('active');
    expect(lookupValue('Treating', map, { mapName: 'claimStatuses' })).toMatchObject({
      ok: false,
      issue: { code: 'unknown_value' },
    });
  });
});

describe('HTML', () => {
  it('keeps the safe subset and removes scripts, handlers and styles', () => {
    expect(sanitizeHtml('Called adj.<br>&nbsp;Left VM')).toBe('Called adj.<br>&nbsp;Left VM');
    expect(sanitizeHtml('<p onclick="x()" style="color:red">Hi <b>there</b></p>')).toBe(
      '<p>Hi <b>there</b></p>',
    );
    expect(sanitizeHtml('a<script>alert(1)</script>b<style>p{}</style>c')).toBe('abc');
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeHtml('<a href="https://example.com/?a=1&amp;b=2" target="_blank">x</a>')).toBe(
      '<a href="https://example.com/?a=1&amp;b=2">x</a>',
    );
    expect(sanitizeHtml('<a href="mailto:a@b.com">mail</a>')).toBe('<a href="mailto:a@b.com">mail</a>');
    expect(sanitizeHtml('<div><span>text</span></div>')).toBe('text');
    expect(sanitizeHtml('Client <John Smith> & co')).toBe(
      'Client &lt;john smith&gt; &amp; co'.replace('john smith', 'John Smith'),
    );
    expect(sanitizeHtml('<img src=x onerror=alert(1)>')).toBe('');
    expect(sanitizeHtml('<scr<script>ipt>alert(1)</script>')).not.toMatch(/<script/i);
  });

  it('turns HTML into text', () => {
    expect(htmlToText('Called adj.<br>&nbsp;Left VM')).toBe('Called adj.\nLeft VM');
    expect(htmlToText('<ul><li>one</li><li>two</li></ul><script>x</script>')).toBe('- one\n- two');
  });
});

describe('properties', () => {
  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('00/00/0000', '$1,250.00', '(713) 555-0101', '<b>x</b>', '33 1/3%'),
  );
  const transforms: [string, (s: string) => unknown][] = [
    ['date', (s) => transformDate(s)],
    ['date MDY', (s) => transformDate(s, { order: 'MDY' })],
    ['datetime', (s) => transformDateTime(s, { timeZone: 'America/Chicago' })],
    ['time', transformTime],
    ['money', (s) => transformMoney(s)],
    ['number', transformNumber],
    ['percent', transformPercent],
    ['hours', transformHours],
    ['phone', (s) => transformPhone(s)],
    ['boolean', (s) => transformBoolean(s)],
    ['email', transformEmail],
    ['split', (s) => splitValues(s, ';')],
    ['name', splitName],
    ['lookup', (s) => lookupValue(s, { a: 1 })],
    ['sanitize', sanitizeHtml],
    ['htmlToText', htmlToText],
  ];

  it('every transform is total and deterministic', () => {
    for (const [, transform] of transforms) {
      fc.assert(
        fc.property(anyText, (input) => {
          const first = transform(input);
          expect(first).toBeDefined();
          expect(transform(input)).toEqual(first);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('normalised outputs are fixed points: phone E.164, ISO dates, sanitize', () => {
    const digits = fc.stringMatching(/^[2-9]\d{2}[2-9]\d{6}$/);
    fc.assert(
      fc.property(digits, (national) => {
        const once = transformPhone(`(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`);
        expect(once.ok).toBe(true);
        const e164 = value(once) as string;
        expect(value(transformPhone(e164))).toBe(e164);
      }),
    );
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-02T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          expect(value(transformDate(iso))).toBe(iso);
          const stamp = `${date.toISOString().slice(0, 19)}Z`;
          expect(value(transformDateTime(stamp, { timeZone: 'America/Chicago' }))).toBe(stamp);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc
            .array(
              fc.constantFrom(
                '<p>',
                '</p>',
                '<a href="https://x.y">',
                '<a href="javascript:1">',
                '</a>',
                '<script>',
                '</script>',
                '<b>',
                '<br/>',
                '&amp;',
                '&',
                '<',
                '>',
                '"',
                'text',
                '<div onclick="x">',
                '<!--',
                '-->',
              ),
              { maxLength: 12 },
            )
            .map((parts) => parts.join('')),
        ),
        (html) => {
          const once = sanitizeHtml(html);
          expect(sanitizeHtml(once)).toBe(once);
          // Markup that stays is harmless; `onclick=` may survive only as escaped text (`&lt;div onclick=…`).
          expect(once).not.toMatch(/<script|<[^>]*\son\w+\s*=|href\s*=\s*["']?\s*javascript:/i);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('split values and lookup keys are idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const once = value(splitValues(text, ';')) as string[];
        expect(value(splitValues(once.join(';'), ';'))).toEqual(once);
      }),
    );
  });
});

describe('applyTransform', () => {
  const settings = {
    sourceTimeZone: 'America/Chicago',
    dateOrder: 'MDY',
    defaultCurrency: 'USD',
    defaultPhoneRegion: 'US',
  } as const;
  const valueMaps = {
    claimTypes: {},
    claimStatuses: { 'Active w/Contract': { stage: 'Active w/Contract', status: 'open' as const } },
    claimStatusesByType: {},
    eventTypes: { 'Court Hearing': 'Court Hearing' },
    noteTypes: {},
    taskStatuses: { Completed: true },
    taskPriorities: {},
  };

  it('interprets mapping.yaml transform specs with the mapping settings', () => {
    expect(value(applyTransform('04/02/2021 9:14 AM', { kind: 'datetime' }, { settings }))).toBe(
      '2021-04-02T14:14:00Z',
    );
    expect(value(applyTransform('03/04/21', { kind: 'date' }, { settings }))).toBe('2021-03-04');
    expect(value(applyTransform('(350.00)', { kind: 'money' }, { settings }))).toEqual({
      amount: -350,
      currency: 'USD',
    });
    expect(value(applyTransform('713.555.0123', { kind: 'phone' }, { settings }))).toBe('+17135550123');
    expect(
      value(
        applyTransform(
          'ACTIVE W/CONTRACT ',
          { kind: 'value_map', map: 'claimStatuses' },
          { settings, valueMaps },
        ),
      ),
    ).toEqual({ stage: 'Active w/Contract', status: 'open' });
    expect(
      applyTransform('Treating', { kind: 'value_map', map: 'claimStatuses' }, { settings, valueMaps }),
    ).toMatchObject({ ok: false, issue: { code: 'unknown_value' } });
    expect(value(applyTransform('Gonzalez, Maria E.', { kind: 'name', part: 'last' }, { settings }))).toBe(
      'Gonzalez',
    );
    expect(value(applyTransform('Gonzalez, Maria E.', { kind: 'name', part: 'full' }, { settings }))).toBe(
      'Maria E. Gonzalez',
    );
    expect(value(applyTransform('Called adj.\nLeft VM', { kind: 'html' }, { settings }))).toBe(
      'Called adj.<br>Left VM',
    );
    expect(value(applyTransform('  Main  St ', undefined, { settings }))).toBe('Main St');
  });

  it('is total for every transform kind', () => {
    const kinds = [
      'text',
      'email',
      'phone',
      'date',
      'datetime',
      'time',
      'money',
      'number',
      'percent',
      'boolean',
      'hours',
      'split',
      'name',
      'html',
      'html_text',
      'value_map',
      'address',
      'owner',
      'reference',
    ] as const;
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...kinds), (input, kind) => {
        const result = applyTransform(input, { kind, map: 'claimStatuses' }, { settings, valueMaps });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
