import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editWorkspaceMapping } from './map-workspace.ts';
import { editMappingFile, parseMappingFile, renderMappingFile } from './mapping-file.ts';
import type { Mapping } from './mapping-schema.ts';
import { claimTypePipelineEdits, statusStage, statusStageEdits } from './value-map-edits.ts';

const STAGES = ['Chase Call', 'Active w/ Contract', 'Settled'];

function mapping(): Mapping {
  return {
    version: 1,
    settings: {
      sourceTimeZone: 'America/Chicago',
      dateOrder: 'MDY',
      defaultCurrency: 'USD',
      defaultPhoneRegion: 'US',
    },
    owners: {
      matchBy: 'email',
      fallbackOwnerEmail: null,
      unresolved: 'hold',
      keepOriginalOwnerIn: 'Original Owner',
      staff: {},
    },
    duplicates: { contacts: 'email' },
    pipelines: { Auto: [...STAGES], 'Workers Comp': [...STAGES] },
    valueMaps: {
      claimTypes: {
        Auto: { pipeline: 'Auto', matterType: 'Auto' },
        'Workers Comp': { pipeline: 'Workers Comp', matterType: 'Workers Comp' },
      },
      claimStatuses: {
        'Chase Call': { stage: 'Chase Call', status: 'open' },
        'Active w/ Contract': { stage: 'Active w/ Contract', status: 'open' },
        Closed: { stage: 'Settled', status: 'won' },
      },
      claimStatusesByType: {},
      eventTypes: {},
      noteTypes: {},
      taskStatuses: {},
      taskPriorities: {},
    },
    objects: [],
  };
}

/** mapping.yaml as a person left it: with a comment of their own in the value maps. */
function personsFile(): string {
  return renderMappingFile(mapping()).replace(
    /^( {2}claimStatuses:)$/m,
    '  # Ask Dana before changing these.\n$1',
  );
}

describe('editMappingFile with value-map edits', () => {
  it('moves one status to another stage for one pipeline only, keeping the comments', () => {
    const before = mapping();
    const edits = statusStageEdits(before, 'Auto', new Map([['Active w/ Contract', 'Chase Call']]));
    const result = editMappingFile(personsFile(), edits);
    expect(result.errors).toEqual([]);
    expect(result.text).toContain('# Ask Dana before changing these.');
    expect(result.text).toContain('Ferry mapping: how each BackDocket export file');
    const after = result.mapping!;
    expect(after.valueMaps.claimStatusesByType).toEqual({
      Auto: { 'Active w/ Contract': { stage: 'Chase Call', status: 'open' } },
    });
    expect(statusStage(after, 'Auto', 'Active w/ Contract')).toBe('Chase Call');
    expect(statusStage(after, 'Workers Comp', 'Active w/ Contract')).toBe('Active w/ Contract');
  });

  it('removes the per-type override when the stage goes back to the general map', () => {
    const moved = editMappingFile(
      personsFile(),
      statusStageEdits(mapping(), 'Auto', new Map([['Closed', 'Chase Call']])),
    );
    const back = statusStageEdits(moved.mapping!, 'Auto', new Map([['Closed', 'Settled']]));
    expect(back).toEqual([
      { path: ['valueMaps', 'claimStatusesByType', 'Auto', 'Closed'], value: undefined },
    ]);
    const result = editMappingFile(moved.text, back);
    expect(result.mapping?.valueMaps.claimStatusesByType).toEqual({});
    expect(parseMappingFile(result.text).errors).toEqual([]);
  });

  it('makes no edit when nothing was changed', () => {
    const current = new Map([
      ['Chase Call', 'Chase Call'],
      ['Closed', 'Settled'],
    ]);
    expect(statusStageEdits(mapping(), 'Auto', current)).toEqual([]);
    expect(claimTypePipelineEdits(mapping(), new Map([['Auto', 'Auto']]))).toEqual([]);
  });

  it('sends a claim type to another pipeline', () => {
    const edits = claimTypePipelineEdits(mapping(), new Map([['Workers Comp', 'Auto']]));
    const result = editMappingFile(personsFile(), edits);
    expect(result.mapping?.valueMaps.claimTypes['Workers Comp']).toEqual({
      pipeline: 'Auto',
      matterType: 'Workers Comp',
    });
  });

  it('refuses an edit that leaves the file invalid, naming the key', () => {
    const result = editMappingFile(personsFile(), [
      { path: ['valueMaps', 'claimTypes', 'Auto', 'pipeline'], value: 'No Such Pipeline' },
    ]);
    expect(result.mapping).toBeUndefined();
    expect(result.errors[0]?.field).toBe('valueMaps.claimTypes.Auto.pipeline');
  });

  it('adds an owner override under an empty staff map as a block entry with the name as a comment', () => {
    const result = editMappingFile(personsFile(), [
      { path: ['owners', 'staff', '23'], value: 'admin@firm.com', comment: 'Reyes, Marco' },
    ]);
    expect(result.mapping?.owners.staff).toEqual({ '23': 'admin@firm.com' });
    expect(result.text).toMatch(/staff:\n\s+"23": admin@firm\.com # Reyes, Marco\n/);
  });
});

describe('editWorkspaceMapping', () => {
  it('writes a valid edit in place and refuses an invalid one, leaving the file untouched', () => {
    const mappingPath = join(mkdtempSync(join(tmpdir(), 'ferry-edit-')), 'mapping.yaml');
    writeFileSync(mappingPath, personsFile());
    const moved = editWorkspaceMapping(
      { mappingPath },
      statusStageEdits(mapping(), 'Auto', new Map([['Closed', 'Chase Call']])),
    );
    expect(moved.changed).toBe(true);
    const saved = readFileSync(mappingPath, 'utf8');
    expect(saved).toContain('# Ask Dana before changing these.');
    expect(() =>
      editWorkspaceMapping({ mappingPath }, [
        { path: ['valueMaps', 'claimStatuses', 'Closed', 'stage'], value: 'Nowhere' },
      ]),
    ).toThrow(/was not changed.*stage 'Nowhere' is not a stage of pipeline/);
    expect(readFileSync(mappingPath, 'utf8')).toBe(saved);
    expect(editWorkspaceMapping({ mappingPath }, []).changed).toBe(false);
  });
});
