import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectPipedrive } from '../cli/connect.ts';
import type { Issue } from '../core/issues.ts';
import { BACKDOCKET_OBJECTS, isBackdocketObject } from '../core/objects.ts';
import { decideObjects, type FileObjects } from '../mapping/decide-objects.ts';
import {
  confirmWorkspaceMapping,
  ENTITY_FOR_OBJECT,
  editWorkspaceMapping,
  isMappingConfirmed,
  type Mapping,
  type MappingEdit,
  proposeWorkspaceMapping,
  sqliteMappingStore,
} from '../mapping/index.ts';
import {
  claimTypePipelineEdits,
  claimTypesOfPipeline,
  statusesOfPipeline,
  statusStage,
  statusStageEdits,
} from '../mapping/value-map-edits.ts';
import { assembleSchemaPlan } from '../plan/schema-plan.ts';
import { IDENTITY_FIELD } from '../plan/target-schema.ts';
import { toSavedValidation } from '../report/saved-validation.ts';
import { writeReport } from '../report/write-report.ts';
import { readAccountSnapshot, targetSchemaOf } from '../run/account-schema.ts';
import { applySchema } from '../run/apply-schema.ts';
import { expectedRecords, savePlannedRecords } from '../run/expected-records.ts';
import { migrate } from '../run/migrate.ts';
import { PipedriveDestination } from '../run/pipedrive-destination.ts';
import { planRollback, rollback } from '../run/rollback.ts';
import { loadMapping, openSession, readUsers, type WorkspaceSession } from '../run/session.ts';
import { validateWorkspace } from '../run/validate-workspace.ts';
import { readSourceTruth, verifyMigration } from '../run/verify-migration.ts';
import { iterateRows, loadInventory } from '../source/backdocket/index.ts';
import { type ContactMergeProposal, chosenMergeEdits, readContactMerges } from '../validate/duplicates.ts';
import { type LinkCoverage, MIN_LINK_COVERAGE, percent } from '../validate/link-coverage.ts';
import { ownerOverrideEdits, readStaff, staffOverrideEmail } from '../validate/owner-resolver.ts';
import { normaliseEmail, type StaffMember, standingOf } from '../validate/ownership.ts';

/** Options for `ferry ui`. @example await startUiServer({ workspaceDir: '.', host: '127.0.0.1' }) */
export interface UiServerOptions {
  readonly workspaceDir: string;
  readonly port?: number;
  readonly host?: '127.0.0.1';
  readonly env?: NodeJS.ProcessEnv;
  readonly token?: string;
}

export interface UiServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

interface Job {
  kind: string;
  status: 'running' | 'completed' | 'failed';
  entity: string;
  done: number;
  total: number;
  message: string;
}

/** Escapes text for HTML (source data is hostile). */
export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
nav{background:#1f3a5f;padding:.5rem 1rem}nav a{color:#fff;margin-right:1rem;text-decoration:none}nav a:focus,nav a:hover{text-decoration:underline}
main{padding:1rem 1.5rem;max-width:1200px}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;background:#fff}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:14px}th{background:#eef2f7}
.ok{color:#176b2c}.warn{color:#9a5b00}.err{color:#b00020}button{font:inherit;padding:.35rem .8rem;cursor:pointer}
.notice{background:#fff8e1;border:1px solid #e0c060;padding:.5rem 1rem}progress{width:320px}code{background:#eee;padding:0 .2rem}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid #e8900c;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#1f3a5f;padding:.3rem .6rem;z-index:1}
caption{text-align:left;font-weight:600;padding:.3rem 0}table.narrow{width:auto;margin-bottom:.5rem}
.forms{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:flex-start}.forms form{margin-bottom:1rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}.filters select{max-width:16rem}`;

const JS = `(function(){var el=document.getElementById('progress');if(!el)return;var t=el.getAttribute('data-token');
function tick(){fetch('/api/progress?token='+encodeURIComponent(t)).then(function(r){return r.json()}).then(function(j){
if(!j){el.textContent='No run in progress.';return}el.textContent=j.kind+': '+j.status+' — '+j.entity+' '+j.done+'/'+j.total+(j.message?' — '+j.message:'');
el.setAttribute('data-status',j.status);if(j.status==='running')setTimeout(tick,400)})}tick()})();`;

export interface UiCore {
  readonly token: string;
  handle(request: Request): Promise<Response>;
}

/** The in-process core: a fetch-style handler (unit tests call it directly). */
export function createUiCore(options: UiServerOptions & { token: string }): UiCore {
  const { workspaceDir, token } = options;
  const env = options.env ?? process.env;
  let job: Job | undefined;
  const q = `token=${encodeURIComponent(token)}`;
  const link = (path: string) => `${path}${path.includes('?') ? '&' : '?'}${q}`;
  const hidden = `<input type="hidden" name="token" value="${esc(token)}">`;
  const ctx: FormContext = { link, hidden };
  const form = (action: string, label: string, extra = '') =>
    `<form method="post" action="${esc(link(action))}">${hidden}${extra}<button type="submit">${esc(label)}</button></form>`;

  const page = (title: string, body: string, status = 200) =>
    new Response(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — Ferry</title><link rel="stylesheet" href="${esc(link('/static/app.css'))}"></head><body>
<a class="skip" href="#main">Skip to content</a><nav aria-label="Steps">${[
        ['/', 'Inventory'],
        ['/mapping', 'Mapping'],
        ['/validate', 'Validation'],
        ['/schema', 'Schema'],
        ['/run', 'Run'],
        ['/verify', 'Verify'],
        ['/report', 'Report'],
        ['/rollback', 'Rollback'],
      ]
        .map(([href, text]) => `<a href="${esc(link(href!))}">${esc(text)}</a>`)
        .join(
          '',
        )}</nav><main id="main"><h1>${esc(title)}</h1>${body}</main><script src="${esc(link('/static/app.js'))}"></script></body></html>`,
      { status, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );
  const redirect = (path: string) => new Response(null, { status: 303, headers: { location: link(path) } });
  const withSession = async <T>(action: (session: WorkspaceSession) => Promise<T> | T): Promise<T> => {
    const session = openSession(workspaceDir);
    try {
      return await action(session);
    } finally {
      session.close();
    }
  };
  const identityKeysOf = async (client: ReturnType<typeof connectPipedrive>) => {
    const schema = targetSchemaOf(await readAccountSnapshot(client));
    return {
      deal: schema.customField('deal', IDENTITY_FIELD)?.key,
      person: schema.customField('person', IDENTITY_FIELD)?.key,
      organization: schema.customField('organization', IDENTITY_FIELD)?.key,
    };
  };
  const startJob = (kind: string, work: (update: (p: Partial<Job>) => void) => Promise<string>) => {
    if (job?.status === 'running') return false;
    const current: Job = { kind, status: 'running', entity: '', done: 0, total: 0, message: '' };
    job = current;
    work((p) => Object.assign(current, p)).then(
      (message) => Object.assign(current, { status: 'completed', message }),
      (error: unknown) =>
        Object.assign(current, {
          status: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
    return true;
  };
  /** Runs a form's edit and comes back to `path`, saying what happened (or what was wrong) in the URL. */
  const editAndReturn = async (path: string, saved: string, edit: () => Promise<{ changed: boolean }>) => {
    try {
      const { changed } = await edit();
      return redirect(`${path}${changed ? `?saved=${encodeURIComponent(saved)}` : ''}`);
    } catch (error) {
      return redirect(
        `${path}?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
      );
    }
  };
  const confirmState = (session: WorkspaceSession) => {
    const confirmed = isMappingConfirmed(
      sqliteMappingStore(session.store),
      readFileSync(session.workspace.mappingPath, 'utf8'),
    );
    return `<p class="${confirmed ? 'ok' : 'warn'}" id="confirm-state">${
      confirmed ? 'Mapping confirmed.' : 'Mapping not confirmed: review, then confirm.'
    }</p>`;
  };
  const notices = (url: URL) => {
    const err = url.searchParams.get('error');
    const saved = url.searchParams.get('saved');
    return `${err ? `<p class="notice err" role="alert">${esc(err)}</p>` : ''}${
      saved
        ? `<p class="notice" role="status" id="saved-notice">Saved ${esc(saved)} to mapping.yaml. The mapping changed, so it needs confirming again before a run (the same lock as <code>ferry map confirm</code>).</p>`
        : ''
    }`;
  };
  const confirmForm = (back: string) =>
    form('/mapping/confirm', 'Confirm mapping', `<input type="hidden" name="back" value="${esc(back)}">`);

  const routes: Record<string, (url: URL, form: URLSearchParams) => Promise<Response>> = {
    'GET /': () =>
      withSession(async (session) => {
        const files = loadInventory(session.store);
        const decided = decideObjects(files);
        const body = files.length
          ? files
              .map(
                (
                  f,
                ) => `<h2>${esc(f.file)} → ${esc(decided.get(f.file)?.object ?? 'unrecognised')} (${f.rowCount} rows)</h2>
<p>${esc(decided.get(f.file)?.reason ?? f.detection.reason)}</p>${renderCandidates(decided.get(f.file))}<table><caption class="sr">Columns of ${esc(f.file)}</caption><thead><tr><th scope="col">Column</th><th scope="col">Filled</th><th scope="col">Kinds</th><th scope="col">Samples</th></tr></thead><tbody>${f.columns
                  .map(
                    (c) =>
                      `<tr><td>${esc(c.name)}</td><td>${Math.round(c.fillRate * 100)}%</td><td>${esc(
                        c.kinds.map((k) => k.kind).join(', '),
                      )}</td><td>${c.samples.map((s) => `<code>${esc(s)}</code>`).join(' ')}</td></tr>`,
                  )
                  .join('')}</tbody></table>`,
              )
              .join('')
          : '<p class="notice">Nothing extracted yet. Run <code>ferry extract</code>.</p>';
        return page('Source inventory', body);
      }),
    'GET /mapping': (url) =>
      withSession(async (session) => {
        const { mapping } = loadMapping(session, { confirmed: false });
        let accountTargets: string[] = [];
        try {
          const snapshot = await readAccountSnapshot(connectPipedrive(session, env));
          for (const entity of ['deal', 'person', 'organization'] as const)
            for (const field of snapshot.fields[entity] ?? [])
              accountTargets.push(
                /^[0-9a-f]{40}$/.test(field.key)
                  ? `${entity}.custom:${field.name}`
                  : `${entity}.${field.key}`,
              );
        } catch {
          accountTargets = [];
        }
        const decided = decideObjects(loadInventory(session.store));
        const body = `${notices(url)}${confirmState(session)}
${confirmForm('/mapping')}
${renderValueMapForms(mapping, ctx)}
<h2>Columns</h2>
${mapping.objects
  .map(
    (o) =>
      `<h3>${esc(o.file)} → ${esc(o.object)} / ${esc(o.entity)}</h3>${
        o.object === null ? renderObjectChoice(o.file, decided.get(o.file), ctx) : ''
      }<table><thead><tr><th scope="col">Column</th><th scope="col">Target</th><th scope="col">Confidence</th><th scope="col">Reason</th><th scope="col">Change</th></tr></thead><tbody>${o.fields
        .map((f) => {
          const id = `t-${esc(o.file)}-${esc(f.column)}`.replace(/[^A-Za-z0-9_-]/g, '_');
          const choices = [
            ...new Set([f.target ?? '', ...(f.candidate ? [f.candidate.target] : []), ...accountTargets]),
          ];
          return `<tr><td>${esc(f.column)}</td><td>${esc(f.target ?? '(skipped)')}</td><td>${f.confidence === undefined ? '' : Math.round(f.confidence * 100)}%</td><td>${esc(f.reason ?? '')}</td><td>
<form method="post" action="${esc(link('/mapping/target'))}">${hidden}<input type="hidden" name="file" value="${esc(o.file)}"><input type="hidden" name="column" value="${esc(f.column)}">
<label for="${id}">Target for ${esc(f.column)}</label> <select id="${id}" name="target" data-column="${esc(f.column)}">${choices
            .map(
              (t) =>
                `<option value="${esc(t)}"${t === (f.target ?? '') ? ' selected' : ''}>${esc(t || '(skip)')}</option>`,
            )
            .join('')}<option value="__new">new custom field…</option></select>
<label>name <input name="newName" size="12"></label> <label>type <select name="fieldType"><option>varchar</option><option>text</option><option>double</option><option>date</option><option>enum</option></select></label>
<button type="submit">Change</button></form></td></tr>`;
        })
        .join('')}</tbody></table>`,
  )
  .join('')}`;
        return page('Mapping review', body);
      }),
    'POST /mapping/object': (_url, f) =>
      editAndReturn('/mapping', `the object of ${f.get('file') ?? ''}`, () =>
        withSession(async (session) => {
          const { mapping } = loadMapping(session, { confirmed: false });
          const result = editWorkspaceMapping(session.workspace, objectEdits(mapping, f));
          // Its columns follow the object: proposed again as that object, the other edits kept.
          await proposeWorkspaceMapping(session.workspace, sqliteMappingStore(session.store));
          return result;
        }),
      ),
    'POST /mapping/target': (_url, f) =>
      editAndReturn('/mapping', 'the target', () =>
        withSession((session) => {
          const { mapping } = loadMapping(session, { confirmed: false });
          return editWorkspaceMapping(session.workspace, targetEdits(mapping, f));
        }),
      ),
    'POST /mapping/claim-types': (_url, f) =>
      editAndReturn('/mapping', 'the claim type pipelines', () =>
        withSession((session) => {
          const { mapping } = loadMapping(session, { confirmed: false });
          return editWorkspaceMapping(
            session.workspace,
            claimTypePipelineEdits(mapping, pairs(f, 'type', 'pipeline')),
          );
        }),
      ),
    'POST /mapping/status-stages': (_url, f) =>
      editAndReturn('/mapping', `the stages of pipeline ${f.get('pipeline') ?? ''}`, () =>
        withSession((session) => {
          const { mapping } = loadMapping(session, { confirmed: false });
          const edits = statusStageEdits(mapping, f.get('pipeline') ?? '', pairs(f, 'status', 'stage'));
          return editWorkspaceMapping(session.workspace, edits);
        }),
      ),
    'POST /mapping/confirm': (_url, f) =>
      withSession((session) => {
        confirmWorkspaceMapping(session.workspace, sqliteMappingStore(session.store), {
          confirmedBy: 'ferry ui',
        });
        return redirect(f.get('back') === '/validate' ? '/validate' : '/mapping');
      }),
    'GET /validate': (url) =>
      withSession(async (session) => {
        const { mapping, hash } = loadMapping(session, { confirmed: false });
        const client = connectPipedrive(session, env);
        const report = await validateWorkspace({ session, mapping, client });
        session.store.setMeta('validation', JSON.stringify(toSavedValidation(report)));
        savePlannedRecords(session.store, { mappingHash: hash, records: report.records });
        const users = await readUsers(client);
        const filter = issueFilterOf(url);
        const shown = report.issues.filter((issue) => matchesFilter(issue, filter));
        const body = `${notices(url)}${confirmState(session)}${confirmForm('/validate')}
<h2 id="links">Links</h2>${renderLinks(report.links)}
<h2>Ownership</h2>${renderOwnership(report.ownership, mapping, users, ctx)}
<h2 id="duplicates">Duplicate contacts</h2>${renderDuplicates(report.duplicates, mapping, ctx)}
<h2 id="issues">Issues</h2>${renderIssueFilter(report.issues, filter, ctx)}
<p id="issue-count" role="status">Showing ${shown.length} of ${report.issues.length} issue(s)${
          shown.length > ISSUES_SHOWN ? `; the first ${ISSUES_SHOWN} are listed` : ''
        }.</p>${renderIssues(shown.slice(0, ISSUES_SHOWN))}`;
        return page('Validation', body);
      }),
    'POST /validate/owners': (_url, f) =>
      editAndReturn('/validate', 'the owners', () =>
        withSession(async (session) => {
          const { mapping } = loadMapping(session, { confirmed: false });
          const users = await readUsers(connectPipedrive(session, env));
          const staff = readStaffOf(session, mapping);
          return editWorkspaceMapping(
            session.workspace,
            ownerEdits({ mapping, staff, users, choices: pairs(f, 'staff', 'owner') }),
          );
        }),
      ),
    'POST /validate/duplicates': (_url, f) =>
      editAndReturn('/validate', 'the duplicate merges', () =>
        withSession((session) => {
          const { mapping } = loadMapping(session, { confirmed: false });
          const file = mapping.objects.find((candidate) => candidate.object === 'contact');
          if (!file) throw new Error('The mapping has no contact file.');
          const { proposals } = readContactMerges({
            file,
            rows: iterateRows(session.store, file.file),
            duplicates: mapping.duplicates,
          });
          const chosen = new Set(f.getAll('merge'));
          return editWorkspaceMapping(
            session.workspace,
            chosenMergeEdits(proposals, chosen, mapping.duplicates.accepted ?? {}),
          );
        }),
      ),
    'GET /schema': () =>
      withSession(async (session) => {
        const { mapping } = loadMapping(session, { confirmed: false });
        const plan = assembleSchemaPlan(mapping, await readAccountSnapshot(connectPipedrive(session, env)));
        const body = `<p>${plan.toCreate} to create, ${plan.conflicts} conflict(s).</p><ul>${plan.items
          .map((i) => `<li>${esc(JSON.stringify(i))}</li>`)
          .join('')}</ul>${form('/schema/apply', 'Approve and apply schema')}`;
        return page('Schema checklist', body);
      }),
    'POST /schema/apply': () =>
      withSession(async (session) => {
        const { mapping, hash } = loadMapping(session, { confirmed: true });
        const client = connectPipedrive(session, env);
        const runId = session.journal.startRun('schema', { mappingHash: hash });
        const result = await applySchema({ client, journal: session.journal, runId, mapping });
        session.journal.finishRun(runId, result.problems.length > 0 ? 'failed' : 'completed', {
          created: result.created.length,
          optionsAdded: result.optionsAdded,
        });
        return page(
          'Schema applied',
          `<p id="schema-result">Created ${result.created.length} schema part(s); ${result.problems.length} problem(s).</p>`,
        );
      }),
    'GET /run': () =>
      Promise.resolve(
        page(
          'Run',
          `<div id="progress" role="status" aria-live="polite" data-token="${esc(token)}">…</div>
${form('/run/sample', 'Run sample', '<label>Claims <input name="size" value="5" size="4"></label> ')}${form('/run/full', 'Run full migration')}`,
        ),
      ),
    'POST /run/sample': (_u, f) => runMigrate('sample', Number(f.get('size')) || 5),
    'POST /run/full': () => runMigrate('full', undefined),
    'GET /api/progress': () =>
      Promise.resolve(Response.json(job ?? null, { headers: { 'cache-control': 'no-store' } })),
    'GET /verify': () =>
      withSession(async (session) => {
        const stored = session.store.getMeta('verification');
        const result = stored ? JSON.parse(stored) : undefined;
        const body = result
          ? `<p id="verify-state">${result.ok ? 'Every migrated record matches.' : 'Differences found.'}</p><table><thead><tr><th>Entity</th><th>Expected</th><th>Found</th><th>Matching</th><th>Differing</th><th>Missing</th></tr></thead><tbody>${result.entities
              .map(
                (e: Record<string, unknown>) =>
                  `<tr><td>${esc(e.entity)}</td><td>${esc(e.expected)}</td><td>${esc(e.found)}</td><td>${esc(e.matching)}</td><td>${esc(e.differing)}</td><td>${esc(e.missing)}</td></tr>`,
              )
              .join(
                '',
              )}</tbody></table><h2>Field differences</h2><table><thead><tr><th>Record</th><th>Field</th><th>Expected</th><th>Found</th></tr></thead><tbody>${result.diffs
              .slice(0, 200)
              .map(
                (d: Record<string, unknown>) =>
                  `<tr><td>${esc(d.entity)} ${esc(d.identity)}</td><td>${esc(d.field)}</td><td>${esc(JSON.stringify(d.expected))}</td><td>${esc(JSON.stringify(d.actual))}</td></tr>`,
              )
              .join('')}</tbody></table>`
          : '<p>Not verified yet.</p>';
        return page('Verification', body + form('/verify', 'Verify now'));
      }),
    'POST /verify': () =>
      withSession(async (session) => {
        const client = connectPipedrive(session, env);
        const sourceRows = session.store.db
          .prepare(
            "SELECT entity, count(*) AS n FROM row_outcomes WHERE outcome IN ('migrated', 'updated') GROUP BY entity",
          )
          .all() as { entity: string; n: number }[];
        const result = await verifyMigration({
          journal: session.journal,
          client,
          identityKeys: await identityKeysOf(client),
          sourceRows: (entity) => sourceRows.find((row) => row.entity === entity)?.n ?? 0,
          source: readSourceTruth(session),
        });
        session.store.setMeta('verification', JSON.stringify(result));
        return redirect('/verify');
      }),
    'GET /report': () =>
      withSession((session) => {
        const report = writeReport(session);
        return page(
          'Report',
          `<ul>${report.summary.map((l) => `<li>${esc(l)}</li>`).join('')}</ul><p><a href="${esc(link('/report/html'))}">Open the full report</a></p>`,
        );
      }),
    'GET /report/html': () =>
      withSession((session) => {
        const report = writeReport(session);
        return new Response(readFileSync(report.htmlPath, 'utf8'), {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          },
        });
      }),
    'GET /rollback': () =>
      withSession((session) => {
        const plan = planRollback(session.journal, { scope: 'all' });
        const counts = new Map<string, number>();
        for (const entry of plan.deletes) counts.set(entry.entity, (counts.get(entry.entity) ?? 0) + 1);
        const body = `<p>Rollback will remove:</p><ul id="rollback-plan">${[...counts]
          .map(([entity, n]) => `<li>delete ${n} ${esc(entity)}(s)</li>`)
          .join(
            '',
          )}${plan.restores.length ? `<li>restore ${plan.restores.length} updated record(s)</li>` : ''}${
          plan.schema.length ? `<li>remove ${plan.schema.length} schema part(s) Ferry created</li>` : ''
        }</ul><div id="progress" role="status" aria-live="polite" data-token="${esc(token)}"></div>${form(
          '/rollback',
          'Roll back',
          '<label><input type="checkbox" name="confirm" value="yes" required> I understand this removes the records listed above from Pipedrive</label> ',
        )}`;
        return page('Rollback', body);
      }),
    'POST /rollback': async (_u, f) => {
      if (f.get('confirm') !== 'yes')
        return page('Rollback', '<p class="err">Tick the confirmation first.</p>', 400);
      startJob('rollback', async (update) => {
        const session = openSession(workspaceDir);
        const release = session.store.acquireLock('rollback');
        try {
          const plan = planRollback(session.journal, { scope: 'all' });
          const client = connectPipedrive(session, env);
          const destination = new PipedriveDestination({
            client,
            identityKeys: await identityKeysOf(client),
          });
          const runId =
            session.journal.unfinishedRun(['rollback'])?.id ??
            session.journal.startRun('rollback', { settings: { scope: 'all' } });
          session.journal.reopenRun(runId);
          const result = await rollback({
            journal: session.journal,
            destination,
            client,
            runId,
            plan,
            force: false,
            onProgress: (done, total) => update({ entity: 'rollback', done, total }),
          });
          session.journal.finishRun(
            runId,
            result.complete ? 'completed' : 'failed',
            result,
            result.stoppedBy,
          );
          session.store.db
            .prepare(
              'DELETE FROM row_outcomes WHERE pipedrive_id IS NOT NULL AND (entity, pipedrive_id) NOT IN (SELECT entity, pipedrive_id FROM id_map)',
            )
            .run();
          const left = result.complete
            ? 'nothing Ferry created remains.'
            : `not finished: ${result.remaining} record(s), ${result.restoresLeft} restore(s) and ${result.schemaLeft} schema part(s) left — roll back again.`;
          return `Deleted ${result.deleted}, restored ${result.restored}, removed ${result.schemaRemoved} schema part(s); ${left}`;
        } finally {
          release();
          session.close();
        }
      });
      return redirect('/rollback');
    },
  };

  function runMigrate(mode: 'sample' | 'full', sampleSize: number | undefined): Promise<Response> {
    const started = startJob(mode, async (update) => {
      const session = openSession(workspaceDir);
      const release = session.store.acquireLock('migrate');
      try {
        const { mapping, hash } = loadMapping(session, { confirmed: true });
        const expected = mode === 'full' ? expectedRecords(session.store, hash) : undefined;
        const result = await migrate({
          session,
          mapping,
          mappingHash: hash,
          client: connectPipedrive(session, env),
          mode,
          sampleSize,
          onProgress: ({ overall }) =>
            update({
              entity: 'records',
              done: overall.done,
              // Planned as written: until planning ends, validate's count for this mapping and extract.
              total: overall.totalFinal ? overall.total : Math.max(overall.total, expected ?? 0),
            }),
        });
        const created = Object.values(result.stats).reduce((n, s) => n + s.created, 0);
        return `Run ${result.runId} ${result.status}: ${created} created.`;
      } finally {
        release();
        session.close();
      }
    });
    return Promise.resolve(
      started ? redirect('/run') : page('Run', '<p class="err">A run is already in progress.</p>', 409),
    );
  }

  const tokenOk = (given: string | null) => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  return {
    token,
    async handle(request) {
      const url = new URL(request.url);
      const security = {
        'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts.
        'referrer-policy': 'same-origin',
      };
      const refuse = (status: number, text: string) =>
        new Response(text, { status, headers: { ...security, 'content-type': 'text/plain; charset=utf-8' } });
      const method = request.method.toUpperCase();
      let body = new URLSearchParams();
      if (method !== 'GET' && method !== 'HEAD') {
        const origin = request.headers.get('origin');
        const site = request.headers.get('sec-fetch-site');
        if ((origin && origin !== url.origin) || (site && site !== 'same-origin' && site !== 'none'))
          return refuse(403, 'Cross-site request refused.');
        body = new URLSearchParams(await request.text());
      }
      if (
        !tokenOk(url.searchParams.get('token') ?? body.get('token') ?? request.headers.get('x-ferry-token'))
      )
        return refuse(403, 'Missing or wrong access token: open the URL `ferry ui` printed.');
      if (url.pathname === '/static/app.css')
        return new Response(CSS, { headers: { ...security, 'content-type': 'text/css' } });
      if (url.pathname === '/static/app.js')
        return new Response(JS, { headers: { ...security, 'content-type': 'text/javascript' } });
      const route = routes[`${method === 'HEAD' ? 'GET' : method} ${url.pathname}`];
      if (!route) return refuse(404, 'Not found.');
      let response: Response;
      try {
        response = await route(url, body);
      } catch (error) {
        response = page(
          'Problem',
          `<p class="err" role="alert">${esc(error instanceof Error ? error.message : String(error))}</p>`,
          500,
        );
      }
      for (const [k, v] of Object.entries(security)) if (!response.headers.has(k)) response.headers.set(k, v);
      return response;
    },
  };
}

const ISSUES_SHOWN = 500;

/** What a page's forms need: links carrying the token, and the token as a hidden field. */
interface FormContext {
  link(path: string): string;
  readonly hidden: string;
}

/** Repeated form fields read as pairs: `staff=17&owner=a@b.com&staff=23&owner=` → 17 → a@b.com, 23 → ''. */
function pairs(form: URLSearchParams, key: string, value: string): Map<string, string> {
  const keys = form.getAll(key);
  const values = form.getAll(value);
  return new Map(keys.map((k, i) => [k, values[i] ?? '']));
}

/** A `<select>` with its label (visually hidden when the table header already says what it is). */
function select(input: {
  id: string;
  name: string;
  label: string;
  options: readonly { value: string; text: string }[];
  selected: string;
  hideLabel?: boolean;
}): string {
  return `<label for="${esc(input.id)}"${input.hideLabel ? ' class="sr"' : ''}>${esc(input.label)}</label> <select id="${esc(input.id)}" name="${esc(input.name)}">${input.options
    .map(
      (o) =>
        `<option value="${esc(o.value)}"${o.value === input.selected ? ' selected' : ''}>${esc(o.text)}</option>`,
    )
    .join('')}</select>`;
}

/** An id safe in HTML and CSS selectors, unique per prefix and index. */
const controlId = (prefix: string, index: number) => `${prefix}-${index}`;

/** The objects an unrecognised file could hold, best first (for a person to choose). */
function renderCandidates(decision: FileObjects | undefined): string {
  if (!decision || decision.object !== null || decision.candidates.length === 0) return '';
  return `<p class="warn">Not recognised. It could be: ${decision.candidates
    .map((c) => `<b>${esc(c.object)}</b> (${Math.round(c.confidence * 100)}%: ${esc(c.reason)})`)
    .join('; ')}. Choose its object on the Mapping page.</p>`;
}

/** For a file left without an object: its candidates and a form to choose one. */
function renderObjectChoice(file: string, decision: FileObjects | undefined, ctx: FormContext): string {
  const id = `object-${file}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const best = decision?.candidates.map((c) => c.object) ?? [];
  const choices = [...best, ...BACKDOCKET_OBJECTS.filter((o) => !best.includes(o))];
  return `${renderCandidates(decision)}<form method="post" action="${esc(ctx.link('/mapping/object'))}">${ctx.hidden}<input type="hidden" name="file" value="${esc(file)}">
<label for="${id}">Object of ${esc(file)}</label> <select id="${id}" name="object">${choices
    .map((o) => `<option value="${esc(o)}">${esc(o)}</option>`)
    .join('')}</select> <button type="submit">Set object</button></form>`;
}

/** A file's object chosen by a person, as edits on mapping.yaml (its entity follows). */
function objectEdits(mapping: Mapping, form: URLSearchParams): MappingEdit[] {
  const file = form.get('file') ?? '';
  const object = form.get('object') ?? '';
  const i = mapping.objects.findIndex((o) => o.file === file);
  if (i < 0 || !isBackdocketObject(object)) throw new Error(`No file ${file}, or no object ${object}.`);
  return [
    { path: ['objects', i, 'object'], value: object },
    { path: ['objects', i, 'entity'], value: ENTITY_FOR_OBJECT[object] },
    { path: ['objects', i, 'confidence'], value: 1 },
  ];
}

/** Column target change (or a new custom field) as edits on mapping.yaml. */
function targetEdits(mapping: Mapping, form: URLSearchParams): MappingEdit[] {
  const file = form.get('file') ?? '';
  const column = form.get('column') ?? '';
  const i = mapping.objects.findIndex((o) => o.file === file);
  const j = mapping.objects[i]?.fields.findIndex((x) => x.column === column) ?? -1;
  const object = mapping.objects[i];
  if (!object || j < 0) throw new Error(`No column ${column} in ${file}.`);
  const path = ['objects', i, 'fields', j];
  // A new target makes the old transform and field type meaningless (e.g. an address part).
  const edits: MappingEdit[] = [
    { path: [...path, 'transform'], value: undefined },
    { path: [...path, 'fieldType'], value: undefined },
  ];
  const target = form.get('target') ?? '';
  if (target === '__new') {
    const name = (form.get('newName') ?? '').trim() || column;
    edits.push({ path: [...path, 'target'], value: `${object.entity ?? 'deal'}.custom:${name}` });
    edits.push({ path: [...path, 'fieldType'], value: form.get('fieldType') ?? 'varchar' });
  } else edits.push({ path: [...path, 'target'], value: target === '' ? null : target });
  return edits;
}

/** Claim type → pipeline, and per pipeline claim status → stage, as forms of selects. */
function renderValueMapForms(mapping: Mapping, ctx: FormContext): string {
  const pipelines = Object.keys(mapping.pipelines);
  const types = Object.entries(mapping.valueMaps.claimTypes);
  if (types.length === 0)
    return '<h2 id="value-maps">Value maps</h2><p>The export has no claim types: every claim uses the general status map in mapping.yaml.</p>';
  const typeRows = types
    .map(
      ([type, target], i) =>
        `<tr><th scope="row">${esc(type)}<input type="hidden" name="type" value="${esc(type)}"></th><td>${select(
          {
            id: controlId('pipeline-of', i),
            name: 'pipeline',
            label: `Pipeline for claim type ${type}`,
            options: pipelines.map((p) => ({ value: p, text: p })),
            selected: target.pipeline,
            hideLabel: true,
          },
        )}</td></tr>`,
    )
    .join('');
  const claimTypesForm = `<form method="post" action="${esc(ctx.link('/mapping/claim-types'))}">${ctx.hidden}<table class="narrow"><caption>Claim type → pipeline</caption><thead><tr><th scope="col">Claim type</th><th scope="col">Pipeline</th></tr></thead><tbody>${typeRows}</tbody></table><button type="submit">Save claim types</button></form>`;
  const stageForms = pipelines
    .filter((pipeline) => claimTypesOfPipeline(mapping, pipeline).length > 0)
    .map((pipeline, p) => {
      const stages = mapping.pipelines[pipeline] ?? [];
      const rows = statusesOfPipeline(mapping, pipeline)
        .map((status, s) => {
          const outcome = mapping.valueMaps.claimStatuses[status]?.status ?? 'open';
          return `<tr><th scope="row">${esc(status)}<input type="hidden" name="status" value="${esc(status)}"></th><td>${esc(outcome)}</td><td>${select(
            {
              id: controlId(`stage-${p}`, s),
              name: 'stage',
              label: `Stage for status ${status} in pipeline ${pipeline}`,
              options: stages.map((stage) => ({ value: stage, text: stage })),
              selected: statusStage(mapping, pipeline, status) ?? '',
              hideLabel: true,
            },
          )}</td></tr>`;
        })
        .join('');
      return `<form method="post" action="${esc(ctx.link('/mapping/status-stages'))}">${ctx.hidden}<input type="hidden" name="pipeline" value="${esc(pipeline)}"><table class="narrow"><caption>Claim status → stage in pipeline <strong>${esc(pipeline)}</strong> (claim types: ${esc(
        claimTypesOfPipeline(mapping, pipeline).join(', '),
      )})</caption><thead><tr><th scope="col">Claim status</th><th scope="col">Outcome</th><th scope="col">Stage</th></tr></thead><tbody>${rows}</tbody></table><button type="submit">Save stages for ${esc(pipeline)}</button></form>`;
    })
    .join('');
  return `<h2 id="value-maps">Value maps</h2><div class="forms">${claimTypesForm}${stageForms}</div>`;
}

/** The link coverage table: per relationship, the rows carrying a reference and the links that will be made. */
function renderLinks(links: readonly LinkCoverage[]): string {
  const rows = links
    .map((row) => {
      const blocks = row.withReference > 0 && row.share < MIN_LINK_COVERAGE;
      return `<tr><th scope="row">${esc(row.relationship)}</th><td>${esc(row.withReference)}</td><td>${esc(
        row.linked,
      )}</td><td class="${blocks ? 'warn' : 'ok'}">${row.withReference === 0 ? '–' : esc(percent(row.share))}${
        blocks ? ' (blocks: below 99%)' : ''
      }</td></tr>`;
    })
    .join('');
  return `<table id="link-coverage"><thead><tr><th scope="col">Relationship</th><th scope="col">Rows with a reference</th><th scope="col">Will be linked</th><th scope="col">Share</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Likely duplicate contacts, each with a box a person ticks to accept its merge (nothing merges unticked). */
function renderDuplicates(
  proposals: readonly ContactMergeProposal[],
  mapping: Mapping,
  ctx: FormContext,
): string {
  if (proposals.length === 0) return '<p>No likely duplicate contacts.</p>';
  if (mapping.duplicates.merge === 'all') {
    return `<p>${proposals.length} likely duplicate contact(s), all merged by the policy <code>duplicates.merge: all</code> in mapping.yaml.</p>`;
  }
  const accepted = proposals.filter((proposal) => proposal.accepted).length;
  const rows = proposals
    .map((proposal, i) => {
      const id = controlId('merge', i);
      return `<tr><td><input type="checkbox" id="${id}" name="merge" value="${esc(proposal.duplicate)}"${
        proposal.accepted ? ' checked' : ''
      }></td><td><label for="${id}">Merge contact ${esc(proposal.duplicate)} (${esc(proposal.file)}:${esc(
        proposal.duplicateLine,
      )}) into ${esc(proposal.into)} (line ${esc(proposal.intoLine)})</label></td><td>${esc(proposal.why)}</td></tr>`;
    })
    .join('');
  return `<p>${proposals.length} likely duplicate contact(s); ${accepted} merge(s) accepted. A contact merges into another only when its box is ticked and saved: the others become persons of their own.</p>
<form method="post" action="${esc(ctx.link('/validate/duplicates'))}">${ctx.hidden}<table><thead><tr><th scope="col">Merge</th><th scope="col">Contacts</th><th scope="col">Why</th></tr></thead><tbody>${rows}</tbody></table><p>Saving writes <code>duplicates.accepted</code> in mapping.yaml, which then needs confirming again.</p><button type="submit">Save merges</button></form>`;
}

/** The BackDocket staff, read from the staff file through the mapping. */
function readStaffOf(session: WorkspaceSession, mapping: Mapping): StaffMember[] {
  const staffFile = mapping.objects.find((file) => file.object === 'staff');
  return staffFile ? readStaff(staffFile, iterateRows(session.store, staffFile.file)) : [];
}

/** The owners form's choices as edits on owners.staff; an e-mail that is no active user is refused. */
function ownerEdits(input: {
  mapping: Mapping;
  staff: readonly StaffMember[];
  users: readonly { email: string; active: boolean }[];
  choices: ReadonlyMap<string, string>;
}): MappingEdit[] {
  const active = new Set(input.users.filter((u) => u.active).map((u) => normaliseEmail(u.email)));
  return [...input.choices].flatMap(([key, email]) => {
    const member = input.staff.find((m) => m.key === key);
    if (!member) throw new Error(`No staff member with id ${key} in the export.`);
    // An owner already in mapping.yaml may stay as it is, even when the account no longer has that user.
    const unchanged = email === staffOverrideEmail(member, input.mapping.owners);
    if (email && !unchanged && !active.has(normaliseEmail(email)))
      throw new Error(`${email} is not an active user of the Pipedrive account.`);
    return ownerOverrideEdits(member, input.mapping.owners, email || null);
  });
}

/** Which staff matched a Pipedrive user by e-mail, which did not, and a chosen owner for each that did not. */
function renderOwnership(
  ownership: Awaited<ReturnType<typeof validateWorkspace>>['ownership'],
  mapping: Mapping,
  users: readonly { id: number; name: string; email: string; active: boolean }[],
  ctx: FormContext,
): string {
  const nameOf = (id: number | null) => {
    const user = users.find((u) => u.id === id);
    return user ? `${user.name} <${user.email}>` : '';
  };
  const matched = ownership.entries.filter((e) => e.resolution.status === 'matched').length;
  const fallback = ownership.fallbackUserId === null ? null : nameOf(ownership.fallbackUserId);
  const activeUsers = users.filter((u) => u.active);
  // The user's own spelling of the e-mail, so the select shows the owner mapping.yaml names.
  const override = (staff: StaffMember) => {
    const email = staffOverrideEmail(staff, mapping.owners);
    if (!email) return '';
    return activeUsers.find((u) => normaliseEmail(u.email) === normaliseEmail(email))?.email ?? email;
  };
  const rows = ownership.entries
    .map((entry, i) => {
      const { staff, resolution } = entry;
      const pipedrive =
        resolution.status === 'matched'
          ? 'matched by e-mail'
          : resolution.status === 'inactive'
            ? 'user deactivated in Pipedrive'
            : 'no Pipedrive user with this e-mail';
      const standing = staff.active ? pipedrive : `inactive in BackDocket; ${pipedrive}`;
      const status = `<span class="${standingOf(entry) === 'active' ? 'ok' : 'warn'}">${esc(standing)}</span>`;
      const owner =
        resolution.status === 'matched'
          ? esc(nameOf(resolution.userId))
          : `<input type="hidden" name="staff" value="${esc(staff.key)}">${select({
              id: controlId('owner-of', i),
              name: 'owner',
              label: `Owner for ${staff.name}`,
              options: ownerOptions(fallback, activeUsers, override(staff)),
              selected: override(staff),
              hideLabel: true,
            })}`;
      return `<tr><th scope="row">${esc(staff.name)}</th><td>${esc(staff.email ?? '(none)')}</td><td>${status}</td><td>${esc(entry.ownedRecords)}</td><td>${owner}</td></tr>`;
    })
    .join('');
  const unmatched = ownership.entries.length - matched;
  return `<p>${matched} staff member(s) matched a Pipedrive user by e-mail; ${unmatched} did not. ${
    fallback
      ? `Global fallback owner: ${esc(fallback)}.`
      : 'No global fallback owner: records nobody can own are held.'
  } ${ownership.heldRecords} record(s) held.</p>
<form method="post" action="${esc(ctx.link('/validate/owners'))}">${ctx.hidden}<table><thead><tr><th scope="col">Staff member</th><th scope="col">E-mail</th><th scope="col">Match</th><th scope="col">Records</th><th scope="col">Owner in Pipedrive</th></tr></thead><tbody>${rows}</tbody></table>${
    unmatched > 0
      ? '<p>Choosing an owner writes <code>owners.staff</code> in mapping.yaml, which then needs confirming again.</p><button type="submit">Save owners</button>'
      : ''
  }</form>`;
}

/** Global fallback (or hold), every active user, and an override naming no active user, said as such. */
function ownerOptions(
  fallback: string | null,
  activeUsers: readonly { name: string; email: string }[],
  current: string,
): { value: string; text: string }[] {
  const options = [
    { value: '', text: fallback ? `Global fallback: ${fallback}` : 'Hold their records (no fallback set)' },
    ...activeUsers.map((u) => ({ value: u.email, text: `${u.name} <${u.email}>` })),
  ];
  if (current && !activeUsers.some((u) => u.email === current))
    options.push({ value: current, text: `${current} (in mapping.yaml; not an active user)` });
  return options;
}

interface IssueFilter {
  readonly severity: string;
  readonly code: string;
  readonly file: string;
}

function issueFilterOf(url: URL): IssueFilter {
  const get = (name: string) => url.searchParams.get(name) ?? '';
  return { severity: get('severity'), code: get('code'), file: get('file') };
}

function matchesFilter(issue: Issue, filter: IssueFilter): boolean {
  return (
    (!filter.severity || issue.severity === filter.severity) &&
    (!filter.code || issue.code === filter.code) &&
    (!filter.file || (issue.file ?? '') === filter.file)
  );
}

/** A GET form (works without JavaScript): severity, code and file, each from the values present. */
function renderIssueFilter(issues: readonly Issue[], filter: IssueFilter, ctx: FormContext): string {
  const distinct = (values: (string | undefined)[]) =>
    [...new Set(values.filter((v): v is string => !!v))].sort();
  const choice = (name: keyof IssueFilter, label: string, values: string[]) =>
    `<span class="field">${select({
      id: `filter-${name}`,
      name,
      label,
      options: [{ value: '', text: 'All' }, ...values.map((v) => ({ value: v, text: v }))],
      selected: filter[name],
    })}</span>`;
  return `<form method="get" action="/validate#issues" class="filters" role="search" aria-label="Filter issues">${ctx.hidden}${choice(
    'severity',
    'Severity',
    distinct(issues.map((i) => i.severity)),
  )}${choice('code', 'Code', distinct(issues.map((i) => i.code)))}${choice(
    'file',
    'File',
    distinct(issues.map((i) => i.file)),
  )} <button type="submit">Filter</button> <a href="${esc(ctx.link('/validate'))}#issues">Clear filters</a></form>`;
}

function renderIssues(issues: readonly Issue[]): string {
  return `<table id="issue-list"><thead><tr><th scope="col">Severity</th><th scope="col">Code</th><th scope="col">Where</th><th scope="col">Message</th><th scope="col">What to do</th></tr></thead><tbody>${issues
    .map(
      (i) =>
        `<tr><td class="${i.severity === 'error' ? 'err' : i.severity === 'warning' ? 'warn' : ''}">${esc(i.severity)}</td><td>${esc(i.code)}</td><td>${esc(
          [
            i.file && (i.line === undefined ? i.file : `${i.file}:${i.line}`),
            i.sourceKey && `#${i.sourceKey}`,
          ]
            .filter(Boolean)
            .join(' '),
        )}</td><td>${esc(i.message)}</td><td>${esc(i.fix ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/** Starts the local web app on 127.0.0.1; `url` carries the per-launch access token. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const core = createUiCore({ ...options, token });
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const host = req.headers.host ?? '127.0.0.1';
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const request = new Request(`http://${host}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length > 0 && req.method !== 'GET' ? { body: Buffer.concat(chunks) } : {}),
      });
      const response = await core.handle(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      res.writeHead(500).end('Internal error');
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
