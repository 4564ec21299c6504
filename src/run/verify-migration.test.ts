import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store.ts';
import { Journal } from './journal.ts';
import { readBackWindowStart } from './verify-migration.ts';

function journalWithClock(times: string[]): Journal {
  const store = SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'ferry-verify-window-')), 'w.db') });
  return new Journal(store, () => times.shift() ?? '2030-01-01T00:00:00.000Z');
}

describe('readBackWindowStart', () => {
  it('is undefined before any schema or record run', () => {
    const journal = journalWithClock(['2026-03-01T09:00:00.250Z']);
    journal.startRun('rollback');
    expect(readBackWindowStart(journal)).toBeUndefined();
  });

  it('opens ten minutes before the first schema or record run, in whole seconds', () => {
    const journal = journalWithClock([
      '2026-03-01T08:00:00.000Z',
      '2026-03-02T09:00:00.250Z',
      '2026-03-03T09:00:00.000Z',
    ]);
    journal.startRun('rollback');
    journal.startRun('schema');
    journal.startRun('full');
    expect(readBackWindowStart(journal)).toBe('2026-03-02T08:50:00Z');
  });
});
