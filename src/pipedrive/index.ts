// Ferry's Pipedrive client: requests, rate scheduling, token accounting.
export type * from './api-types.ts';
export { clientFromEnv, pipedriveAccountOf } from './client-from-env.ts';
export {
  type GatewayRefusal,
  PipedriveClient,
  type PipedriveClientOptions,
  PipedriveError,
} from './pipedrive-client.ts';
export {
  BudgetExhaustedError,
  RateScheduler,
  type RateSchedulerOptions,
  type SchedulerLimits,
  type SchedulerStats,
} from './rate-scheduler.ts';
export {
  DEFAULT_RETRY_POLICY,
  RetryBudget,
  type RetryPolicy,
  retryDelayMs,
  retryPolicyFromEnv,
} from './retry-policy.ts';
export { tokenCostOf } from './token-costs.ts';
