import type { Plan } from '../config/ferry-config.ts';

/** Requests per rolling 2 s per API token, by plan (pipedrive-api.md §3.3); search is 10 on every plan. */
export const PLAN_BURST_LIMITS: Readonly<Record<Plan, number>> = {
  lite: 20,
  growth: 40,
  premium: 100,
  ultimate: 120,
};
export const SEARCH_BURST_LIMIT = 10;
