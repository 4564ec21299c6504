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
import { SqliteRecordSpill } from './sqlite-record-spill.ts';

const TOKEN = 'facefacefacefacefacefacefacefacefaceface';

describe('a migration plans every record once', () => {
  let sim: SimServer;
  let session: WorkspaceSession;
  let plan: (options: {
    spill?: SqliteRecordSpill;
  }) => Promise<{ planned: PlannedMigration; rowsRead: () => number }>;

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
    plan = async ({ spill }) => {
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
        spill,
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

  it('reads no row again when the executor asks for the records, and gives back exactly what was planned', async () => {
    const again = await plan({});
    const rowsToCount = again.rowsRead();
    const replanned = everyRecord(again.planned);
    // Without a spill, the records are planned a second time from the rows.
    expect(again.rowsRead()).toBeGreaterThan(rowsToCount);

    const spill = new SqliteRecordSpill();
    try {
      const once = await plan({ spill });
      expect(once.rowsRead()).toBe(rowsToCount);
      const kept = everyRecord(once.planned);
      expect(once.rowsRead()).toBe(rowsToCount);
      expect(kept.length).toBeGreaterThan(100);
      expect(new Set(kept.map((record) => record.entity))).toEqual(new Set(WRITE_ORDER));
      for (const entity of WRITE_ORDER) {
        expect(kept.filter((record) => record.entity === entity)).toHaveLength(once.planned.counts[entity]);
      }
      expect(JSON.stringify(kept)).toBe(JSON.stringify(replanned));
    } finally {
      spill.close();
    }
  });
});
