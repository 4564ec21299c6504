import { describe, expect, it } from 'vitest';
import { Redactor, redactorFromEnv } from './redact.ts';

const TOKEN = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

describe('Redactor', () => {
  const redactor = new Redactor([TOKEN]);

  it('removes the token wherever it travels: queries, header lines, plain text', () => {
    for (const text of [
      `GET https://acme.pipedrive.com/api/v1/users?api_token=${TOKEN}&limit=5 failed`,
      `request headers: {"x-api-token":"${TOKEN}","accept":"application/json"}`,
      `Authorization: Bearer ${TOKEN}`,
      `the token ${TOKEN} was rejected`,
    ]) {
      const out = redactor.text(text);
      expect(out).not.toContain(TOKEN);
      expect(out).toContain('[REDACTED]');
    }
    // Another account's token in a query string is removed too, though the redactor never saw it.
    expect(redactor.text('/api/v1/deals?api_token=ffffeeee&start=0')).toBe(
      '/api/v1/deals?api_token=[REDACTED]&start=0',
    );
  });

  it('leaves ordinary text alone and ignores secrets too short to be tokens', () => {
    const short = new Redactor(['abc']);
    expect(short.text('abc def')).toBe('abc def');
    expect(redactor.text('Deal 17 for Jane Roe, tokens used: 5')).toBe(
      'Deal 17 for Jane Roe, tokens used: 5',
    );
  });

  it('redacts secret headers and every string of a JSON-like value, deeply', () => {
    expect(redactor.headers({ 'x-api-token': TOKEN, Cookie: 'a=b', accept: 'json' })).toEqual({
      'x-api-token': '[REDACTED]',
      Cookie: '[REDACTED]',
      accept: 'json',
    });
    const value = redactor.value({ url: `/x?api_token=${TOKEN}`, nested: [{ note: TOKEN }], token: 'x' });
    expect(JSON.stringify(value)).not.toContain(TOKEN);
    expect(value.token).toBe('[REDACTED]');
  });

  it('takes the CLI’s token from PIPEDRIVE_API_TOKEN', () => {
    expect(redactorFromEnv({ PIPEDRIVE_API_TOKEN: TOKEN }).text(`x ${TOKEN} y`)).toBe('x [REDACTED] y');
  });
});
