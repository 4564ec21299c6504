import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WriteEntity } from '../core/records.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { expectedRecords, savePlannedRecords } from './expected-records.ts';

let store: SqliteStore;

const extracted = (status: 'done' | 'failed' = 'done') =>
  store.db
    .prepare("INSERT INTO extract_runs (source_dir, started_at, status) VALUES ('export', '2026-12-07', ?)")
    .run(status);

const records: Record<WriteEntity, number> = {
  organization: 10,
  person: 200,
  deal: 50,
  lead: 5,
  activity: 400,
  note: 300,
  file: 35,
};

beforeEach(() => {
  store = SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-expected-')), 'w.db') });
  extracted();
});

describe("a migration's expected total", () => {
  it('is what validate or plan counted, with the same mapping over the same extract', () => {
    savePlannedRecords(store, { mappingHash: 'm1', records });
    expect(expectedRecords(store, 'm1')).toBe(1000);
  });

  it('is unknown once the mapping changed or the export was extracted again', () => {
    savePlannedRecords(store, { mappingHash: 'm1', records });
    expect(expectedRecords(store, 'm2')).toBeUndefined();
    extracted('failed');
    // A failed extraction leaves the rows that were counted.
    expect(expectedRecords(store, 'm1')).toBe(1000);
    extracted();
    expect(expectedRecords(store, 'm1')).toBeUndefined();
  });

  it('is unknown when nothing was counted', () => {
    expect(expectedRecords(store, 'm1')).toBeUndefined();
  });
});
