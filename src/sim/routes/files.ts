import type { SimContext } from '../context.ts';
import { ok, v1Error } from '../http.ts';
import { pageV1 } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { Rec } from '../state.ts';
import { v1Time } from '../time.ts';
import { v1Body } from './common.ts';

const FILE_TYPES: readonly [RegExp, string][] = [
  [/\.(jpe?g|png|gif|bmp|webp|tiff?|heic)$/i, 'img'],
  [/\.pdf$/i, 'pdf'],
  [/\.(docx?|odt|rtf)$/i, 'doc'],
  [/\.(xlsx?|ods|csv)$/i, 'xls'],
  [/\.(pptx?|odp)$/i, 'ppt'],
  [/\.(txt|md|log)$/i, 'text'],
];

/** Pipedrive's coarse `file_type` class from the file name. */
export function fileTypeOf(name: string): string {
  return FILE_TYPES.find(([re]) => re.test(name))?.[1] ?? 'other';
}

const LINKS = [
  ['deal_id', 'deals', 'deal_name', 'title'],
  ['person_id', 'persons', 'person_name', 'name'],
  ['org_id', 'organizations', 'org_name', 'name'],
  ['activity_id', 'activities', null, null],
] as const;

function fileNotFound() {
  return v1Error(404, 'File not found', 'Object was not found.');
}

function findFile(ctx: SimContext, allowDeleted: boolean): Rec {
  const rec = ctx.state.int.files.get(Number(ctx.params.id));
  if (!rec || (rec.active_flag === false && !allowDeleted)) throw fileNotFound();
  return rec;
}

function listFiles(ctx: SimContext, where: (r: Rec) => boolean) {
  const sort = (ctx.query.get('sort') ?? 'id').trim();
  const [field = 'id', dir = 'ASC'] = sort.split(/\s+/);
  if (field !== 'id' && field !== 'update_time') throw v1Error(400, 'sort must be id or update_time');
  const items = [...ctx.state.int.files.values()].filter((r) => r.active_flag !== false && where(r));
  if (field !== 'id' || dir.toUpperCase() === 'DESC') {
    const sign = dir.toUpperCase() === 'DESC' ? -1 : 1;
    items.sort(
      (a, b) =>
        sign * (String(a[field]).localeCompare(String(b[field])) || (a.id as number) - (b.id as number)),
    );
  }
  const { page, additional } = pageV1(items, ctx.query, 100);
  return ok(page, additional);
}

export function fileRoutes(): RouteDef[] {
  const routes: RouteDef[] = [
    {
      method: 'POST',
      path: '/api/v1/files',
      handler: async (ctx) => {
        let form: FormData;
        try {
          form = await ctx.request.formData();
        } catch {
          throw v1Error(400, 'File upload must be multipart/form-data with a "file" part');
        }
        const file = form.get('file');
        if (!file || typeof file === 'string')
          throw v1Error(400, 'No file was given (multipart part "file")');
        const id = ctx.state.nextId('files');
        const now = v1Time(ctx.now);
        const original = (file as File).name || 'file';
        const bytes = new Uint8Array(await file.arrayBuffer());
        const dot = original.lastIndexOf('.');
        const stored =
          dot > 0 ? `${original.slice(0, dot)}_${id}${original.slice(dot)}` : `${original}_${id}`;
        const rec: Rec = {
          id,
          user_id: ctx.meId,
          deal_id: null,
          person_id: null,
          org_id: null,
          product_id: null,
          activity_id: null,
          lead_id: null,
          log_id: null,
          add_time: now,
          update_time: now,
          file_name: stored,
          file_type: fileTypeOf(original),
          file_size: bytes.byteLength,
          active_flag: true,
          inline_flag: false,
          remote_location: 's3',
          remote_id: `sim-${id}`,
          cid: '',
          s3_bucket: '',
          mail_message_id: '',
          mail_template_id: '',
          deal_name: '',
          person_name: '',
          org_name: '',
          product_name: '',
          lead_name: '',
          url: `${ctx.url.origin}/v1/files/${id}/download`,
          name: original,
          description: '',
        };
        for (const [key, collection, nameKey, nameField] of LINKS) {
          const raw = form.get(key);
          if (raw === null || raw === '') continue;
          const linkId = Number(raw);
          const linked = ctx.state.int[collection].get(linkId);
          if (!Number.isInteger(linkId) || !linked || linked.is_deleted === true)
            throw v1Error(400, `${key} ${String(raw)} was not found`);
          rec[key] = linkId;
          if (nameKey && nameField) rec[nameKey] = linked[nameField];
        }
        const lead = form.get('lead_id');
        if (typeof lead === 'string' && lead !== '') {
          const linked = ctx.state.uuid.leads.get(lead);
          if (!linked) throw v1Error(400, `lead_id ${lead} was not found`);
          rec.lead_id = lead;
          rec.lead_name = linked.title;
        }
        ctx.state.int.files.set(id, rec);
        ctx.state.fileBytes.set(id, {
          base64: Buffer.from(bytes).toString('base64'),
          contentType: (file as File).type || 'application/octet-stream',
        });
        return ok(rec);
      },
    },
    { method: 'GET', path: '/api/v1/files', handler: (ctx) => listFiles(ctx, () => true) },
    {
      method: 'GET',
      path: '/api/v1/files/{id}',
      handler: (ctx) => ok(findFile(ctx, ctx.options.deletedGet === 'found')),
    },
    {
      method: 'GET',
      path: '/api/v1/files/{id}/download',
      handler: (ctx) => {
        const rec = findFile(ctx, false);
        const stored = ctx.state.fileBytes.get(rec.id as number);
        return {
          status: 200,
          raw: {
            bytes: new Uint8Array(Buffer.from(stored?.base64 ?? '', 'base64')),
            contentType: stored?.contentType ?? 'application/octet-stream',
            fileName: String(rec.name),
          },
        };
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/files/{id}',
      handler: (ctx) => {
        const rec = findFile(ctx, false);
        const body = v1Body(ctx);
        if (body.name !== undefined) rec.name = String(body.name);
        if (body.description !== undefined) rec.description = String(body.description);
        rec.update_time = v1Time(ctx.now);
        return ok(rec);
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/files/{id}',
      handler: (ctx) => {
        const rec = findFile(ctx, false);
        rec.active_flag = false;
        rec.update_time = v1Time(ctx.now);
        return ok({ id: rec.id });
      },
    },
  ];
  for (const [key, collection] of [
    ['deal_id', 'deals'],
    ['person_id', 'persons'],
    ['org_id', 'organizations'],
  ] as const) {
    routes.push({
      method: 'GET',
      path: `/api/v1/${collection}/{id}/files`,
      cost: 20,
      handler: (ctx) => {
        const id = Number(ctx.params.id);
        if (!ctx.state.int[collection].has(id))
          throw v1Error(404, `${collection.slice(0, -1)} not found`, 'Object was not found.');
        return listFiles(ctx, (r) => r[key] === id);
      },
    });
  }
  return routes;
}
