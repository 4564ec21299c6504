/**
 * Plan once: a migration plans each record in one pass over the export's rows, keeps it on disk, and the
 * executor reads it back (no second planning pass); what it reads back is exactly what was planned.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWorkspace } from '../../test/helpers/workspace.ts';
import { type PlannedRecord, WRITE_ORDER } from '../core/records.ts';
import { PipedriveClient } from '../pipedrive/pipedrive-client.ts';
import { type SimServer, startSimServer } from '../sim/index.ts';
import { generateExport } from '../source/backdocket/generate/index.ts';
import { iterateRows } from '../source/backdocket/index.ts';
import { type PlannedMigration, planMigration } from './record-source.ts';
import { loadMapping, openSession, readPlanningInputs, type WorkspaceSession } from './session.ts';

const TOKEN = 'facefacefacefacefacefacefacefacefaceface';

describe('a migration plans every record once', () => {
  let sim: SimServer;
  let session: WorkspaceSession;
  let plan: (options: { stream?: boolean }) => Promise<{ planned: PlannedMigration; rowsRead: () => number }>;

  beforeAll(async () => {
    sim = await startSimServer({
      port: 0,
      seed: 'plan-once',
      token: TOKEN,
      rateLimits: false,
      users: [{ name: 'Firm Admin', email: 'admin@smithlawfirm.com' }],
    });
    const dir = mkdtempSync(join(tmpdir(), 'ferry-plan-once-'));
    await generateExport({ outDir: join(dir, 'export'), records: 12, seed: 9 });
    const env = { PIPEDRIVE_API_TOKEN: TOKEN, PIPEDRIVE_BASE_URL: sim.url };
    await prepareWorkspace({ dir, env, fallbackOwnerEmail: 'admin@smithlawfirm.com' });
    session = openSession(dir);
    const { mapping } = loadMapping(session, { confirmed: true });
    const client = new PipedriveClient({ baseUrl: sim.url, token: TOKEN });
    const inputs = await readPlanningInputs({ session, mapping, client });
    plan = async ({ stream }) => {
      let rows = 0;
      const planned = planMigration({
        mapping,
        planner: inputs.plannerOptions,
        readRows: function* (file) {
          for (const row of iterateRows(session.store, file)) {
            rows += 1;
            yield row;
          }
        },
        ledgerDir: join(session.workspace.stateDir, 'ledgers'),
        stream,
      });
      return { planned, rowsRead: () => rows };
    };
  }, 180_000);

  afterAll(async () => {
    session?.close();
    await sim?.close();
  });

  const everyRecord = (planned: PlannedMigration): PlannedRecord[] =>
    WRITE_ORDER.flatMap((entity) => [...planned.source.records(entity)]);

  it('streamed, plans each row once as the executor reads, and gives what two passes give', async () => {
    const again = await plan({});
    const rowsToCount = again.rowsRead();
    const replanned = everyRecord(again.planned);
    // Without the stream, the records are planned a second time from the rows.
    expect(again.rowsRead()).toBeGreaterThan(rowsToCount);

    const once = await plan({ stream: true });
    // Nothing of the records' files is planned before the executor reads the first record.
    const beforeReading = once.rowsRead();
    expect(beforeReading).toBeLessThan(rowsToCount);
    const streamed = [...once.planned.source.stream!()];
    expect(once.rowsRead()).toBe(rowsToCount);
    expect(streamed.length).toBeGreaterThan(100);
    expect(new Set(streamed.map((record) => record.entity))).toEqual(new Set(WRITE_ORDER));
    // Parents come before their children (the pipeline waits only for parents it has seen).
    const keyOf = (entity: string, identity: string) => `${entity}:${identity}`;
    const all = new Set(streamed.map((record) => keyOf(record.entity, record.identity)));
    const seen = new Set<string>();
    const childrenFirst: string[] = [];
    for (const record of streamed) {
      for (const link of record.links) {
        const parent = keyOf(link.entity, link.identity);
        if (all.has(parent) && !seen.has(parent)) childrenFirst.push(`${record.identity} → ${parent}`);
      }
      seen.add(keyOf(record.entity, record.identity));
    }
    expect(childrenFirst).toEqual([]);
    for (const entity of WRITE_ORDER) {
      expect(streamed.filter((record) => record.entity === entity)).toHaveLength(once.planned.counts[entity]);
      expect(once.planned.counts[entity]).toBe(again.planned.counts[entity]);
    }
    // The same records as the two passes give, entity by entity (the stream puts status notes after files).
    const byEntity = WRITE_ORDER.flatMap((entity) => streamed.filter((record) => record.entity === entity));
    expect(JSON.stringify(byEntity)).toBe(JSON.stringify(replanned));
    expect(once.planned.settledRows).toEqual(again.planned.settledRows);
    expect(() => once.planned.source.stream!()).toThrow();
  });
});
