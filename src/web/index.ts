import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectPipedrive } from '../cli/connect.ts';
import {
  confirmWorkspaceMapping,
  isMappingConfirmed,
  parseMappingFile,
  renderMappingFile,
} from '../mapping/index.ts';
import { assembleSchemaPlan } from '../plan/schema-plan.ts';
import { IDENTITY_FIELD } from '../plan/target-schema.ts';
import { writeReport } from '../report/write-report.ts';
import { readAccountSnapshot, targetSchemaOf } from '../run/account-schema.ts';
import { applySchema } from '../run/apply-schema.ts';
import { migrate } from '../run/migrate.ts';
import { PipedriveDestination } from '../run/pipedrive-destination.ts';
import { planRollback, rollback } from '../run/rollback.ts';
import { loadMapping, openSession, type WorkspaceSession } from '../run/session.ts';
import { validateWorkspace } from '../run/validate-workspace.ts';
import { verifyMigration } from '../run/verify-migration.ts';
import { loadInventory } from '../source/backdocket/index.ts';

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
.notice{background:#fff8e1;border:1px solid #e0c060;padding:.5rem 1rem}progress{width:320px}code{background:#eee;padding:0 .2rem}`;

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
  const form = (action: string, label: string, extra = '') =>
    `<form method="post" action="${esc(link(action))}">${hidden}${extra}<button type="submit">${esc(label)}</button></form>`;

  const page = (title: string, body: string, status = 200) =>
    new Response(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — Ferry</title><link rel="stylesheet" href="${esc(link('/static/app.css'))}"></head><body>
<nav aria-label="Steps">${[
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
        )}</nav><main><h1>${esc(title)}</h1>${body}</main><script src="${esc(link('/static/app.js'))}"></script></body></html>`,
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
  const editMapping = (
    edit: (mapping: NonNullable<ReturnType<typeof parseMappingFile>['mapping']>) => void,
  ) =>
    withSession((session) => {
      const path = session.workspace.mappingPath;
      const parsed = parseMappingFile(readFileSync(path, 'utf8'), path);
      if (!parsed.mapping) throw new Error('mapping.yaml is not valid; fix it first.');
      edit(parsed.mapping);
      const text = renderMappingFile(parsed.mapping);
      const check = parseMappingFile(text, path);
      if (!check.mapping) throw new Error(check.errors.map((e) => e.message).join('; '));
      writeFileSync(path, text);
    });

  const routes: Record<string, (url: URL, form: URLSearchParams) => Promise<Response>> = {
    'GET /': () =>
      withSession(async (session) => {
        const files = loadInventory(session.store);
        const body = files.length
          ? files
              .map(
                (
                  f,
                ) => `<h2>${esc(f.file)} → ${esc(f.detection.object ?? 'unrecognised')} (${f.rowCount} rows)</h2>
<p>${esc(f.detection.reason)}</p><table><caption class="sr">Columns of ${esc(f.file)}</caption><thead><tr><th scope="col">Column</th><th scope="col">Filled</th><th scope="col">Kinds</th><th scope="col">Samples</th></tr></thead><tbody>${f.columns
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
        const text = readFileSync(session.workspace.mappingPath, 'utf8');
        const confirmed = isMappingConfirmed(session.store, text);
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
        const err = url.searchParams.get('error');
        const body = `${err ? `<p class="notice err" role="alert">${esc(err)}</p>` : ''}
<p class="${confirmed ? 'ok' : 'warn'}" id="confirm-state">${confirmed ? 'Mapping confirmed.' : 'Mapping not confirmed: review, then confirm.'}</p>
${form('/mapping/confirm', 'Confirm mapping')}
${mapping.objects
  .map(
    (o) =>
      `<h2>${esc(o.file)} → ${esc(o.object)} / ${esc(o.entity)}</h2><table><thead><tr><th scope="col">Column</th><th scope="col">Target</th><th scope="col">Confidence</th><th scope="col">Reason</th><th scope="col">Change</th></tr></thead><tbody>${o.fields
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
    'POST /mapping/target': async (_url, f) => {
      const file = f.get('file') ?? '';
      const column = f.get('column') ?? '';
      let target = f.get('target') ?? '';
      try {
        await editMapping((mapping) => {
          const object = mapping.objects.find((o) => o.file === file);
          const field = object?.fields.find((x) => x.column === column);
          if (!object || !field) throw new Error(`No column ${column} in ${file}.`);
          // A new target makes the old transform and field type meaningless (e.g. an address part).
          const editable = field as { target: string | null; fieldType?: string; transform?: unknown };
          delete editable.transform;
          delete editable.fieldType;
          if (target === '__new') {
            const name = (f.get('newName') ?? '').trim() || column;
            target = `${object.entity ?? 'deal'}.custom:${name}`;
            (field as { fieldType?: string }).fieldType = f.get('fieldType') ?? 'varchar';
          }
          (field as { target: string | null }).target = target === '' ? null : target;
        });
        return redirect('/mapping');
      } catch (error) {
        return redirect(
          `/mapping?error=${encodeURIComponent(error instanceof Error ? error.message : String(error))}`,
        );
      }
    },
    'POST /mapping/confirm': () =>
      withSession((session) => {
        confirmWorkspaceMapping(session.workspace, session.store, { confirmedBy: 'ferry ui' });
        return redirect('/mapping');
      }),
    'GET /validate': () =>
      withSession(async (session) => {
        const { mapping } = loadMapping(session, { confirmed: false });
        const report = await validateWorkspace({ session, mapping, client: connectPipedrive(session, env) });
        const body = `<p>${report.issues.length} issue(s).</p><h2>Ownership</h2><table><thead><tr><th>Staff</th><th>Status</th><th>Records</th></tr></thead><tbody>${report.ownership.entries
          .map(
            (e) =>
              `<tr><td>${esc(e.staff.name)} ${esc(e.staff.email ?? '')}</td><td>${esc(e.resolution.status)}</td><td>${esc(e.ownedRecords)}</td></tr>`,
          )
          .join(
            '',
          )}</tbody></table><h2>Issues</h2><table><thead><tr><th>Severity</th><th>Code</th><th>Message</th></tr></thead><tbody>${report.issues
          .slice(0, 500)
          .map((i) => `<tr><td>${esc(i.severity)}</td><td>${esc(i.code)}</td><td>${esc(i.message)}</td></tr>`)
          .join('')}</tbody></table>`;
        return page('Validation', body);
      }),
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
          session.journal.finishRun(runId, 'completed', result);
          session.store.db
            .prepare(
              'DELETE FROM row_outcomes WHERE pipedrive_id IS NOT NULL AND (entity, pipedrive_id) NOT IN (SELECT entity, pipedrive_id FROM id_map)',
            )
            .run();
          return `Deleted ${result.deleted}, restored ${result.restored}, removed ${result.schemaRemoved} schema part(s); ${result.remaining} remain.`;
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
        const result = await migrate({
          session,
          mapping,
          mappingHash: hash,
          client: connectPipedrive(session, env),
          mode,
          sampleSize,
          onProgress: (p) => update({ entity: p.entity, done: p.done, total: p.total }),
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
