import type { SimContext } from '../context.ts';
import { ok, v1Error } from '../http.ts';
import { pageV1 } from '../pagination.ts';
import type { RouteDef } from '../router.ts';
import type { IntCollection, Rec } from '../state.ts';
import { anyTimeToMs, parseV1Time, v1Time } from '../time.ts';
import { toV1Shape } from './v1-shape.ts';
import { entityByPath } from './v2-entities.ts';

/** `items=` names of /v1/recents and where they live. */
const RECENT_ITEMS: Readonly<Record<string, IntCollection>> = {
  activity: 'activities',
  activityType: 'activityTypes',
  deal: 'deals',
  file: 'files',
  note: 'notes',
  person: 'persons',
  organization: 'organizations',
  pipeline: 'pipelines',
  stage: 'stages',
  user: 'users',
};

export function recentsRoutes(): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/recents',
      handler: (ctx: SimContext) => {
        const raw = ctx.query.get('since_timestamp') ?? '';
        const since = parseV1Time(raw);
        if (since === undefined) throw v1Error(400, 'since_timestamp must be given as YYYY-MM-DD HH:MM:SS');
        const wanted =
          ctx.query
            .get('items')
            ?.split(',')
            .map((s) => s.trim()) ?? Object.keys(RECENT_ITEMS);
        const hits: { item: string; id: unknown; data: Rec; t: number }[] = [];
        for (const item of wanted) {
          const collection = RECENT_ITEMS[item];
          if (!collection) throw v1Error(400, `items: unknown item type ${item}`);
          const entity = entityByPath(collection);
          for (const rec of ctx.state.int[collection].values()) {
            const t = anyTimeToMs(rec.update_time ?? rec.modified) ?? 0;
            // since_timestamp is exclusive (client-nodejs #496).
            if (t <= since) continue;
            hits.push({ item, id: rec.id, data: entity ? toV1Shape(ctx, collection, rec) : rec, t });
          }
        }
        hits.sort((a, b) => a.t - b.t || String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
        const { page, additional } = pageV1(hits, ctx.query);
        const last = page[page.length - 1];
        return ok(
          page.map(({ item, id, data }) => ({ item, id, data })),
          { ...additional, since_timestamp: raw, last_timestamp_on_page: last ? v1Time(last.t) : raw },
        );
      },
    },
  ];
}
