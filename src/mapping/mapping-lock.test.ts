import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '../core/errors.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { assembleMapping } from './assemble-mapping.ts';
import { confirmWorkspaceMapping } from './map-workspace.ts';
import { renderMappingFile } from './mapping-file.ts';
import {
  assertMappingConfirmed,
  isMappingConfirmed,
  loadLastProposal,
  readMappingLock,
  saveProposal,
} from './mapping-lock.ts';
import { sqliteMappingStore } from './sqlite-mapping-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-map-lock-'));
  dirs.push(dir);
  // The lock and the proposals through the narrow MappingStore, over a real workspace store.
  const sqlite = SqliteStore.open({ path: join(dir, '.ferry', 'ferry.db') });
  const store = Object.assign(sqliteMappingStore(sqlite), { close: () => sqlite.close() });
  return { mappingPath: join(dir, 'mapping.yaml'), store };
}

const validText = renderMappingFile(
  assembleMapping(
    { objects: [] },
    {
      settings: {
        sourceTimeZone: 'America/Chicago',
        dateOrder: 'MDY',
        defaultCurrency: 'USD',
        defaultPhoneRegion: 'US',
      },
    },
  ),
);

function blocked(fn: () => unknown): FerryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('mapping lock', () => {
  it('blocks migrate until the mapping is confirmed, and again after any change', () => {
    const { mappingPath, store } = workspace();
    expect(blocked(() => assertMappingConfirmed({ mappingPath }, store))).toMatchObject({
      failure: 'blocked',
      code: 'E_MAPPING_MISSING',
    });
    writeFileSync(mappingPath, validText);
    const unconfirmed = blocked(() => assertMappingConfirmed({ mappingPath }, store));
    expect(unconfirmed).toMatchObject({ failure: 'blocked', code: 'E_MAPPING_UNCONFIRMED' });
    expect(unconfirmed.message).toMatch(/ferry map confirm/);

    const result = confirmWorkspaceMapping({ mappingPath }, store, {
      confirmedBy: 'dana',
      now: new Date('2026-01-05T09:00:00Z'),
    });
    expect(result).toMatchObject({ confirmed: true, path: mappingPath });
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readMappingLock(store)).toEqual({
      sha256: result.hash,
      path: mappingPath,
      confirmedBy: 'dana',
      confirmedAt: '2026-01-05T09:00:00.000Z',
    });
    expect(assertMappingConfirmed({ mappingPath }, store)).toBe(result.hash);
    expect(isMappingConfirmed(store, validText)).toBe(true);

    writeFileSync(mappingPath, `${validText}# a comment is a change too\n`);
    const changed = blocked(() => assertMappingConfirmed({ mappingPath }, store));
    expect(changed).toMatchObject({ failure: 'blocked', code: 'E_MAPPING_CHANGED' });
    expect(changed.message).toMatch(/Re-run `ferry map confirm`/);
    store.close();
  });

  it('refuses to confirm an invalid file, naming line and key (config error, exit 2)', () => {
    const { mappingPath, store } = workspace();
    writeFileSync(mappingPath, validText.replace('defaultCurrency: USD', 'defaultCurrency: DOLLARS'));
    const error = blocked(() => confirmWorkspaceMapping({ mappingPath }, store));
    expect(error.failure).toBe('config');
    expect(error.message).toMatch(/mapping\.yaml:\d+ settings\.defaultCurrency/);
    expect(readMappingLock(store)).toBeUndefined();
    store.close();
  });

  it('stores proposals as the base for the next re-proposal', () => {
    const { store } = workspace();
    expect(loadLastProposal(store)).toBeUndefined();
    const mapping = assembleMapping(
      { objects: [] },
      {
        settings: {
          sourceTimeZone: 'UTC',
          dateOrder: 'DMY',
          defaultCurrency: 'EUR',
          defaultPhoneRegion: 'GB',
        },
      },
    );
    saveProposal(store, { mapping, edits: ['settings.sourceTimeZone'] });
    expect(loadLastProposal(store)).toEqual({ mapping, edits: ['settings.sourceTimeZone'] });
    store.close();
  });
});
