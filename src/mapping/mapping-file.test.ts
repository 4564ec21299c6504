import { describe, expect, it } from 'vitest';
import type { ExtractedFile } from '../source/model.ts';
import { assembleMapping, classifyStatus, mergeMapping } from './assemble-mapping.ts';
import { parseMappingFile, readPersonComments, renderMappingFile } from './mapping-file.ts';
import type { Mapping } from './mapping-schema.ts';
import { proposeMapping } from './propose-mapping.ts';

const settings = {
  sourceTimeZone: 'America/Chicago',
  dateOrder: 'MDY',
  defaultCurrency: 'USD',
  defaultPhoneRegion: 'US',
} as const;

const claims: ExtractedFile = {
  file: 'claims.csv',
  detection: { object: 'claim', confidence: 0.95, reason: 'test' },
  rowCount: 3,
  keyColumn: 'Claim ID',
  columns: [
    {
      name: 'Claim ID',
      originalName: 'Claim ID',
      index: 0,
      fillRate: 1,
      distinctCount: 3,
      kinds: [{ kind: 'integer', share: 1 }],
      samples: ['1042', '1043'],
      maxLength: 4,
      references: [],
    },
    {
      name: 'Claim Type',
      originalName: 'Claim Type',
      index: 1,
      fillRate: 1,
      distinctCount: 2,
      kinds: [{ kind: 'text', share: 1 }],
      samples: ['Auto', 'Mass Tort'],
      maxLength: 9,
      references: [],
    },
    {
      name: 'Status',
      originalName: 'Status',
      index: 2,
      fillRate: 1,
      distinctCount: 3,
      kinds: [{ kind: 'text', share: 1 }],
      samples: ['Active w/ Contract', 'ACTIVE W/CONTRACT ', 'Chase Call'],
      maxLength: 20,
      references: [],
    },
    {
      name: 'Email',
      originalName: 'Email',
      index: 3,
      fillRate: 1,
      distinctCount: 3,
      kinds: [{ kind: 'email', share: 1 }],
      samples: ['maria@example.com'],
      maxLength: 20,
      references: [],
    },
  ],
};

const distinct: Record<string, string[]> = {
  'Claim Type': ['Auto', 'Mass Tort'],
  Status: [
    'Active w/ Contract',
    'ACTIVE W/CONTRACT ',
    'Chase Call',
    'Rejected',
    'Closed',
    'Referral Pending',
    'Treating',
  ],
};

function mappingFor(): Mapping {
  return assembleMapping(proposeMapping([claims]), { settings, distinctValues: (_f, c) => distinct[c] });
}

describe('assembleMapping', () => {
  it('builds complete value maps with defaults from the data', () => {
    const mapping = mappingFor();
    expect(Object.keys(mapping.pipelines)).toEqual(['Auto', 'Mass Tort']);
    expect(mapping.pipelines.Auto).toEqual([
      'Chase Call',
      'Referral Pending',
      'Active w/ Contract',
      'Treating',
    ]);
    expect(mapping.valueMaps.claimTypes['Mass Tort']).toEqual({
      pipeline: 'Mass Tort',
      matterType: 'Mass Tort',
    });
    // Spelling drift collapses onto one entry (lookups normalise).
    expect(Object.keys(mapping.valueMaps.claimStatuses)).toHaveLength(6);
    expect(mapping.valueMaps.claimStatuses.Rejected).toEqual({
      stage: 'Treating',
      status: 'lost',
      lostReason: 'Rejected',
    });
    expect(mapping.valueMaps.claimStatuses.Closed).toMatchObject({ status: 'won' });
    expect(classifyStatus('Referral Pending').outcome).toBe('open');
    expect(classifyStatus('Referred').outcome).toBe('lost');
  });
});

describe('mapping.yaml', () => {
  it('round-trips through render and parse, with sample values as comments', () => {
    const mapping = mappingFor();
    const text = renderMappingFile(mapping, {
      samples: (_f, c) => (c === 'Email' ? ['maria@example.com'] : []),
    });
    expect(text).toContain('# samples: maria@example.com');
    expect(text).toContain('target: deal.ref:claim');
    const parsed = parseMappingFile(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.mapping).toEqual(mapping);
  });

  it('names the objects an unrecognised file could hold, as a comment Ferry owns', () => {
    const mapping = mappingFor();
    const unknown = {
      ...mapping,
      objects: [...mapping.objects, { file: 'Sheet1.csv', object: null, entity: null, fields: [] }],
    };
    const text = renderMappingFile(unknown, {
      objectCandidates: (file) =>
        file === 'Sheet1.csv' ? [{ object: 'status_history', confidence: 0.41 }] : undefined,
    });
    expect(text).toContain('# LEFT FOR YOU: set its object; it could be status_history (0.41)');
    expect(parseMappingFile(text).errors).toEqual([]);
    // Ferry's own comment, not the person's: a re-proposal does not carry it along as theirs.
    expect(readPersonComments(text).get('Sheet1.csv')).toBeUndefined();
  });

  it('names the line and the key of every error', () => {
    const text = renderMappingFile(mappingFor());
    const broken = text
      .replace('target: deal.status', 'target: deal.stauts.bogus')
      .replace('dateOrder: MDY', 'dateOrder: YDM');
    const result = parseMappingFile(broken, 'mapping.yaml');
    expect(result.mapping).toBeUndefined();
    const lines = broken.split('\n');
    const targetError = result.errors.find((e) => e.field === 'objects[claims.csv].fields[Status].target')!;
    expect(targetError).toBeDefined();
    expect(lines[targetError.line! - 1]).toContain('deal.stauts.bogus');
    expect(targetError.message).toMatch(
      /^line \d+: objects\[claims\.csv\]\.fields\[Status\]\.target: must be/,
    );
    const orderError = result.errors.find((e) => e.field === 'settings.dateOrder')!;
    expect(lines[orderError.line! - 1]).toContain('dateOrder: YDM');
  });

  it('checks cross references: a status stage must exist in its pipeline', () => {
    const text = renderMappingFile(mappingFor()).replace(
      /Rejected: \{ stage: [^,]+/,
      'Rejected: { stage: Nowhere',
    );
    const result = parseMappingFile(text);
    const error = result.errors.find((e) => e.code === 'mapping_unknown_stage');
    expect(error?.field).toBe('valueMaps.claimStatuses.Rejected.stage');
    expect(text.split('\n')[error!.line! - 1]).toContain('Nowhere');
  });

  it('reports invalid YAML with its line', () => {
    const result = parseMappingFile('version: 1\nsettings:\n  a: [unclosed\n');
    expect(result.errors[0]).toMatchObject({ code: 'mapping_yaml_invalid' });
    expect(result.errors[0]!.line).toBeGreaterThan(0);
  });
});

describe('mergeMapping', () => {
  it("keeps a person's edits and takes Ferry's new proposal elsewhere", () => {
    const base = mappingFor();
    const mine = structuredClone(base) as Mapping;
    const edited = mine.objects[0]!.fields.find((f) => f.column === 'Email')!;
    (edited as { target: string | null }).target = 'deal.custom:Client Email';
    (mine.settings as { sourceTimeZone: string }).sourceTimeZone = 'America/New_York';
    const theirs = structuredClone(base) as Mapping;
    const status = theirs.objects[0]!.fields.find((f) => f.column === 'Status')!;
    (status as { reason: string }).reason = 'a better reason';
    (theirs.valueMaps.eventTypes as Record<string, string>)['Court Hearing'] = 'Court Hearing';

    const merged = mergeMapping({ base, mine, theirs });
    expect(merged.mapping.objects[0]!.fields.find((f) => f.column === 'Email')!.target).toBe(
      'deal.custom:Client Email',
    );
    expect(merged.mapping.settings.sourceTimeZone).toBe('America/New_York');
    expect(merged.mapping.objects[0]!.fields.find((f) => f.column === 'Status')!.reason).toBe(
      'a better reason',
    );
    expect(merged.mapping.valueMaps.eventTypes['Court Hearing']).toBe('Court Hearing');
    expect(merged.edits).toEqual(['settings.sourceTimeZone', 'objects[claims.csv].fields[Email]']);
    expect(renderMappingFile(merged.mapping, { edits: merged.edits })).toContain('# kept your edit');
  });

  it('without a base, nothing is an edit when the file equals the proposal', () => {
    const mapping = mappingFor();
    expect(mergeMapping({ base: undefined, mine: mapping, theirs: mapping }).edits).toEqual([]);
  });
});

describe('person comments', () => {
  it("survive a re-render; Ferry's own comment lines are not duplicated", () => {
    const mapping = mappingFor();
    const text = renderMappingFile(mapping, { samples: () => ['x'] });
    const annotated = text
      .replace('  - file: claims.csv', '  # asked Dana: claims are the whole book\n  - file: claims.csv')
      .replace(/(\n)(\s+)(- column: Email)/, '$1$2# client e-mail, not the adjuster\n$2$3');
    const comments = readPersonComments(annotated);
    expect([...comments.values()]).toEqual([
      ' asked Dana: claims are the whole book',
      ' client e-mail, not the adjuster',
    ]);
    const again = renderMappingFile(mapping, { samples: () => ['x'], personComments: comments });
    expect(again).toContain('# asked Dana: claims are the whole book');
    expect(again).toContain('# client e-mail, not the adjuster\n      # samples: x\n      - column: Email');
    expect(again.match(/# samples: x/g)?.length).toBe(text.match(/# samples: x/g)?.length);
    expect(readPersonComments(again)).toEqual(comments);
  });
});
