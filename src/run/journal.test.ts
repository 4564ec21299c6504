/**
 * The journal's durability contract, seen from a second connection (what a resumed run reads after a
 * crash): an intent is committed before its promise resolves; an outcome is committed at the end of the
 * turn, and until then the entry still reads as 'intent', which a resume looks up before any retry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store.ts';
import { Journal } from './journal.ts';

let dir: string;
let writer: SqliteStore;
let reader: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-journal-'));
  writer = SqliteStore.open({ path: join(dir, 'ferry.db') });
  reader = SqliteStore.open({ path: join(dir, 'ferry.db') });
});

afterEach(() => {
  writer.close();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const person = (identity: string) => ({ entity: 'person', identity, operation: 'create' as const });

describe('Journal durability', () => {
  it('commits an intent before it resolves, and its outcome by the end of the turn', async () => {
    const journal = new Journal(writer);
    const afterCrash = new Journal(reader);
    const runId = journal.startRun('full');
    const entryId = await journal.intent({ runId, ...person('contact:1') });
    expect(afterCrash.unresolved('person').map((entry) => entry.identity)).toEqual(['contact:1']);

    journal.recordCreated({ entryId, runId, ...person('contact:1'), pipedriveId: '41', contentHash: 'h' });
    // Not yet committed: a crash now leaves the entry to be looked up, never re-sent blindly.
    expect(afterCrash.unresolved('person')).toHaveLength(1);
    expect(journal.idOf('person', 'contact:1')).toBe('41');

    await nextTurn();
    expect(afterCrash.unresolved('person')).toHaveLength(0);
    expect(afterCrash.idOf('person', 'contact:1')).toBe('41');
  });

  it('commits the intents of concurrent workers together, each durable when it resolves', async () => {
    const journal = new Journal(writer);
    const runId = journal.startRun('full');
    const ids = await Promise.all(
      ['contact:1', 'contact:2', 'contact:3'].map((identity) =>
        journal.intent({ runId, ...person(identity) }),
      ),
    );
    expect(new Set(ids).size).toBe(3);
    expect(new Journal(reader).unresolved('person')).toHaveLength(3);
  });

  it('makes pending outcomes durable when the store closes', async () => {
    const journal = new Journal(writer);
    const runId = journal.startRun('full');
    const entryId = await journal.intent({ runId, ...person('contact:1') });
    journal.recordOutcomes([{ file: 'contacts.csv', sourceKey: '1' }], 'migrated', { runId });
    journal.settle(entryId, 'failed', { message: 'refused (400)' });
    writer.close();
    const reopened = new Journal(reader);
    expect(reopened.entries({ state: 'failed' })).toHaveLength(1);
    expect(reopened.outcomeCounts()).toEqual([{ file: 'contacts.csv', outcome: 'migrated', count: 1 }]);
  });

  it('does not hold the write lock between turns (another process can take the workspace lock)', async () => {
    const journal = new Journal(writer);
    const runId = journal.startRun('full');
    const entryId = await journal.intent({ runId, ...person('contact:1') });
    journal.settle(entryId, 'done', { pipedriveId: '7' });
    await nextTurn();
    reader.db.pragma('busy_timeout = 0');
    expect(() =>
      reader.db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('probe', '1')").run(),
    ).not.toThrow();
  });
});
