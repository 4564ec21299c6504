import { describe, expect, it } from 'vitest';
import type { TablePlan } from './model.ts';
import { firstPageArguments, PageGuard, PageProblem, readPage } from './pages.ts';

const plan = (paging: Partial<TablePlan['paging']> & Pick<TablePlan['paging'], 'style'>): TablePlan => ({
  table: 'claims',
  tool: 'search_claims',
  arguments: { status: 'all' },
  paging: { param: null, sizeParam: null, size: 2, firstPage: 1, ...paging },
  detail: null,
  modifiedSince: null,
  idField: null,
  recordsPath: null,
  why: '',
  from: 'discovered',
});

const pagePlan = plan({ style: 'page', param: 'page', sizeParam: 'pageSize' });
const offsetPlan = plan({ style: 'offset', param: 'offset', sizeParam: 'limit' });
const cursorPlan = plan({ style: 'cursor', param: 'cursor', sizeParam: 'limit' });

describe('reading a page', () => {
  it('pages by number until the stated total', () => {
    const args = firstPageArguments(pagePlan);
    expect(args).toEqual({ status: 'all', pageSize: 2, page: 1 });
    const first = readPage({
      json: { claims: [{ id: 1 }, { id: 2 }], total: 3 },
      plan: pagePlan,
      args,
      recordsBefore: 0,
    });
    expect(first.next).toEqual({ status: 'all', pageSize: 2, page: 2 });
    const last = readPage({
      json: { claims: [{ id: 3 }], total: 3 },
      plan: pagePlan,
      args: first.next!,
      recordsBefore: 2,
    });
    expect(last).toMatchObject({ next: null, total: 3 });
  });

  it('goes on when a server sends fewer records per page than asked but states more', () => {
    const read = readPage({
      json: { results: [{ id: 1 }], total: 5 },
      plan: offsetPlan,
      args: { offset: 0, limit: 2 },
      recordsBefore: 0,
    });
    expect(read.next).toEqual({ offset: 1, limit: 2 });
  });

  it('stops on a short page when no total is stated, and on hasMore: false', () => {
    expect(
      readPage({
        json: { results: [{ id: 1 }] },
        plan: offsetPlan,
        args: { offset: 0, limit: 2 },
        recordsBefore: 0,
      }).next,
    ).toBeNull();
    expect(
      readPage({
        json: { results: [{ id: 1 }, { id: 2 }], hasMore: false },
        plan: offsetPlan,
        args: { offset: 0, limit: 2 },
        recordsBefore: 0,
      }).next,
    ).toBeNull();
  });

  it('follows a cursor wherever the answer keeps it', () => {
    const next = readPage({
      json: { items: [{ id: 1 }], pagination: { nextCursor: 'c2' } },
      plan: cursorPlan,
      args: { limit: 2 },
      recordsBefore: 0,
    });
    expect(next.next).toEqual({ limit: 2, cursor: 'c2' });
    expect(
      readPage({ json: { items: [], nextCursor: null }, plan: cursorPlan, args: {}, recordsBefore: 0 }).next,
    ).toBeNull();
  });

  it('finds the records: a bare array, the one array of records, GraphQL edges, or recordsPath', () => {
    expect(
      readPage({ json: [{ id: 1 }], plan: plan({ style: 'none' }), args: {}, recordsBefore: 0 }).records,
    ).toEqual([{ id: 1 }]);
    expect(
      readPage({
        json: { data: { edges: [{ node: { id: 7 } }] } },
        plan: plan({ style: 'none' }),
        args: {},
        recordsBefore: 0,
      }).records,
    ).toEqual([{ id: 7 }]);
    const withPath = { ...plan({ style: 'none' }), recordsPath: 'payload.rows' };
    expect(
      readPage({ json: { payload: { rows: [{ id: 2 }] } }, plan: withPath, args: {}, recordsBefore: 0 })
        .records,
    ).toEqual([{ id: 2 }]);
    expect(() =>
      readPage({
        json: { claims: [{ id: 1 }], archived: [{ id: 9 }] },
        plan: { ...plan({ style: 'none' }), table: 'matters' },
        args: {},
        recordsBefore: 0,
      }),
    ).toThrow(/several arrays \(claims, archived\)/);
    expect(() =>
      readPage({ json: { message: 'ok' }, plan: plan({ style: 'none' }), args: {}, recordsBefore: 0 }),
    ).toThrow(PageProblem);
  });
});

describe('the page guard', () => {
  const read = (ids: number[], extra: { total?: number; next?: Record<string, unknown> | null } = {}) => ({
    records: ids.map((id) => ({ id })),
    next: (extra.next === undefined ? { page: 2 } : extra.next) as Record<string, string> | null,
    total: extra.total ?? null,
  });

  it('refuses a page that repeats the one before it', () => {
    const guard = new PageGuard(pagePlan);
    guard.check(read([1, 2]), { page: 1 });
    expect(() => guard.check(read([1, 2]), { page: 2 })).toThrow(/same as the one before/);
  });

  it('refuses data that moves under the paging: a total that changes, a record seen before', () => {
    const totals = new PageGuard(pagePlan);
    totals.check(read([1, 2], { total: 5 }), { page: 1 });
    expect(() => totals.check(read([3, 4], { total: 6 }), { page: 2 })).toThrow(
      expect.objectContaining({ kind: 'changed' }),
    );
    const shifted = new PageGuard(offsetPlan);
    shifted.check(read([1, 2]), { offset: 0 });
    expect(() => shifted.check(read([2, 3]), { offset: 2 })).toThrow(
      /record 2 was already on an earlier page/,
    );
  });

  it('refuses a listing that never ends: a cursor given again, empty pages that point on', () => {
    const again = new PageGuard(cursorPlan);
    again.check(read([1], { next: { cursor: 'a' } }), {});
    expect(() => again.check(read([2], { next: { cursor: 'a' } }), { cursor: 'a' })).toThrow(
      /cursor it had given before/,
    );
    const empty = new PageGuard(cursorPlan);
    empty.check(read([], { next: { cursor: 'x1' } }), {});
    empty.check(read([], { next: { cursor: 'x2' } }), { cursor: 'x1' });
    expect(() => empty.check(read([], { next: { cursor: 'x3' } }), { cursor: 'x2' })).toThrow(
      expect.objectContaining({ kind: 'endless' }),
    );
  });

  it('does not take a field that repeats within a page for the records’ id', () => {
    const history = new PageGuard(offsetPlan);
    const rows = (claims: number[]) => ({
      records: claims.map((claimId, i) => ({ claimId, step: i })),
      next: { offset: 9 },
      total: null,
    });
    history.check(rows([1, 1, 2]), { offset: 0 });
    expect(() => history.check(rows([2, 3, 3]), { offset: 3 })).not.toThrow();
  });

  it('remembers what a resumed listing stored', () => {
    const guard = new PageGuard(pagePlan, {
      ids: ['1', '2'],
      lastHash: null,
      total: 4,
      pages: 1,
      cursors: [],
    });
    expect(() => guard.check(read([2, 3], { total: 4 }), { page: 2 })).toThrow(/record 2/);
  });
});
