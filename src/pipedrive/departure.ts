import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Called when a write has its place at the rate scheduler (the in-flight bound and pacing admitted it, the
 * budget had its tokens) and before any byte of it leaves the process; the request waits for it. The run's
 * write discipline journals its intent here (`src/run/write-once.ts`), so a write still queued when the
 * process dies leaves nothing to look up on resume.
 */
export type DepartureHook = () => Promise<void>;

/**
 * The hook of the write being sent, carried along the async calls it makes: every write path (schema,
 * migrate, delta, rollback, and whatever destination or test double sits between) reaches Pipedrive through
 * the client, so none of their signatures has to pass it on, and none can forget to.
 */
const departures = new AsyncLocalStorage<DepartureHook>();

/** Runs `send` with `hook` told of each write request it makes as that request departs. */
export function sendAnnouncingDepartures<T>(hook: DepartureHook, send: () => Promise<T>): Promise<T> {
  return departures.run(hook, send);
}

/** The hook of the write whose send is running here, if any (the client asks, once per request). */
export function departureHook(): DepartureHook | undefined {
  return departures.getStore();
}
