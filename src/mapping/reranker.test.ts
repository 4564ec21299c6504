import { describe, expect, it } from 'vitest';
import type { ExtractedFile } from '../source/model.ts';
import { proposeMapping } from './propose-mapping.ts';
import { OpenAiCompatibleReranker, rerankProposal, valuePattern } from './reranker.ts';

const SECRET_VALUES = [
  'maria.gonzalez@example.com',
  'earl.price@example.com',
  'Oak Street 12',
  '(713) 555-0101',
];

const files: ExtractedFile[] = [
  {
    file: 'contacts.csv',
    detection: { object: 'contact', confidence: 0.95, reason: 'test' },
    rowCount: 10,
    keyColumn: null,
    columns: [
      {
        name: 'Phone',
        originalName: 'Phone',
        index: 0,
        fillRate: 1,
        distinctCount: 10,
        kinds: [{ kind: 'email', share: 1 }],
        samples: SECRET_VALUES.slice(0, 2),
        maxLength: 30,
        references: [],
      },
      {
        name: 'Where',
        originalName: 'Where',
        index: 1,
        fillRate: 1,
        distinctCount: 10,
        kinds: [{ kind: 'text', share: 1 }],
        samples: [SECRET_VALUES[2]!],
        maxLength: 30,
        references: [],
      },
      {
        name: 'Reach',
        originalName: 'Reach',
        index: 2,
        fillRate: 1,
        distinctCount: 10,
        kinds: [{ kind: 'phone', share: 1 }],
        samples: [SECRET_VALUES[3]!],
        maxLength: 30,
        references: [],
      },
    ],
  },
];

describe('re-ranker', () => {
  it('shows value shapes, never values', () => {
    expect(valuePattern('jane@acme.com')).toBe('aaaa@aaaa.aaa');
    expect(valuePattern('(713) 555-0101')).toBe('(999) 999-9999');
    expect(valuePattern('María González')).toBe('Aaaaa Aaaaaaa+');
  });

  it('sends headers and patterns only to an OpenAI-compatible endpoint, and applies only allowed choices', async () => {
    const bodies: string[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      expect(String(input)).toBe('http://127.0.0.1:9/v1/chat/completions');
      const body = String(init?.body);
      bodies.push(body);
      for (const secret of SECRET_VALUES) expect(body).not.toContain(secret);
      const request = JSON.parse(JSON.parse(body).messages[1].content) as { columns: { column: string }[] };
      const choices = request.columns.map((c) =>
        c.column === 'Phone'
          ? { column: 'Phone', target: 'person.emails', confidence: 0.97, reason: 'values look like e-mails' }
          : { column: c.column, target: 'deal.value', confidence: 0.99, reason: 'nonsense, not a candidate' },
      );
      return new Response(
        JSON.stringify({ choices: [{ message: { content: JSON.stringify({ columns: choices }) } }] }),
        {
          headers: { 'content-type': 'application/json' },
        },
      );
    };
    const reranker = new OpenAiCompatibleReranker({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'test',
      fetch: fakeFetch,
    });
    const before = proposeMapping(files);
    expect(before.objects[0]!.fields[0]!.target).toBeNull();
    const after = await rerankProposal(before, files, reranker);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('aaaaa.aaaaaa+@aaaaaa+.aaa');
    const phone = after.objects[0]!.fields[0]!;
    expect(phone).toMatchObject({ target: 'person.emails' });
    expect(phone.confidence).toBeLessThanOrEqual(0.85);
    expect(phone.reason).toMatch(/^re-ranked/);
    // A choice outside the proposer's candidates is ignored.
    expect(after.objects[0]!.fields.map((f) => f.target)).not.toContain('deal.value');
  });

  it('ignores a re-ranker that fails or answers nonsense', async () => {
    const broken = new OpenAiCompatibleReranker({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'test',
      fetch: async () => new Response('{"choices":[{"message":{"content":"not json"}}]}'),
    });
    const before = proposeMapping(files);
    expect(await rerankProposal(before, files, broken)).toEqual(before);
  });
});
