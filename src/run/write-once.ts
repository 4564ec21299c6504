import type { Clock } from '../core/clock.ts';
import { FerryError, isFerryError } from '../core/errors.ts';
import { sendAnnouncingDepartures } from '../pipedrive/departure.ts';
import { BudgetExhaustedError } from '../pipedrive/rate-scheduler.ts';
import { RetryBudget, type RetryPolicy } from '../pipedrive/retry-policy.ts';
import { isUncertain } from './destination.ts';
import type { Journal, JournalEntry, JournalOperation } from './journal.ts';

/**
 * What one command's writes share: the journal and run they are recorded in, how they retry, and a tally
 * of how it went (for the summary and the reliability figures).
 */
export interface WriteContext {
  readonly journal: Journal;
  readonly runId: number;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
  /** For the jitter of retry waits (tests pass a seeded one). */
  readonly random?: (() => number) | undefined;
  readonly tally: WriteTally;
}

/** How a command's writes went. */
export interface WriteTally {
  /** Requests sent, first attempts and retries alike. */
  sent: number;
  /** Of those, sent again after a failure. */
  resent: number;
  /** Outcomes that were unknown: no answer, a 5xx, a body cut short, or a crash between intent and outcome. */
  unknown: number;
  /** Of those, writes found in Pipedrive when looked up, so recorded as done and not sent again. */
  foundLanded: number;
  /** Writes Pipedrive refused for good (4xx): reported per record. */
  refused: number;
}

export function emptyTally(): WriteTally {
  return { sent: 0, resent: 0, unknown: 0, foundLanded: 0, refused: 0 };
}

/** Whether a write landed, as read back from Pipedrive, and what it produced (an id). */
export type Landed<T> = { readonly landed: true; readonly result: T } | { readonly landed: false };

/** One write: what the journal records, how to send it, and how to tell afterwards whether it happened. */
export interface WriteSpec<T> {
  /** Names the write in messages: `deal claim:1042`, `stage 'Intake' in 'Auto'`. */
  readonly what: string;
  readonly entity: string;
  readonly identity: string;
  readonly operation: JournalOperation;
  readonly pipedriveId?: string | null | undefined;
  readonly contentHash?: string | null | undefined;
  readonly preImage?: unknown;
  /** What an update or restore means the record to hold: resolves it after a crash. */
  readonly intended?: unknown;
  /**
   * An entry an earlier attempt left open (a crash, an unknown outcome): it is resolved before anything is
   * sent, unless `resolved` says the caller already looked and did not find the write.
   */
  readonly open?: { readonly entry: JournalEntry; readonly resolved?: boolean } | undefined;
  readonly send: () => Promise<T>;
  /** Reads only: did the write whose outcome is unknown land? Given its journal entry (when it was announced). */
  readonly resolve: (entry: JournalEntry) => Promise<Landed<T>>;
  /** A refusal that means the work is done already, e.g. a delete answered 404. */
  readonly alreadyDone?: ((error: unknown) => Landed<T>) | undefined;
  /** Settles the entry as done, atomically with whatever must change with it (the id map, row outcomes). */
  readonly settleDone: (entryId: number, result: T, how: WriteHow) => void;
}

/** How a write ended up done: answered, found after an unknown outcome, or already done before it was sent. */
export type WriteHow = 'sent' | 'found' | 'already';

export type WriteOutcome<T> =
  | { readonly kind: 'done'; readonly result: T; readonly how: WriteHow }
  /** Pipedrive refused it for good (a 4xx); the entry is settled `failed` with the message. */
  | { readonly kind: 'refused'; readonly message: string; readonly error: unknown };

/**
 * A write's retries are spent: Pipedrive kept failing. The journal is consistent (the entry is `uncertain`
 * when the last outcome was unknown, `failed` when it was refused before any work), so running the same
 * command again resolves it and goes on.
 */
export class WritesKeptFailingError extends FerryError {
  constructor(message: string) {
    super('transient', message, { code: 'E_WRITES_KEPT_FAILING' });
  }
}

/**
 * The write discipline every command follows (DESIGN §4 "Exactly-once", for every write): the intent is
 * journaled and durable as the request departs — once the rate scheduler has admitted it, before any byte
 * of it leaves (`spec.send` must reach Pipedrive through the client, which announces the departure); a passing failure (5xx, timeout, reset, 429, 403 block) is
 * retried with jittered backoff within the policy's bounds; a write whose outcome is unknown is resolved
 * from Pipedrive (`resolve`) before it is ever sent again, and adopted when it landed. A refusal (4xx) is
 * returned as data; a config error (401, …) or an abort is thrown with the entry left safe to resolve.
 * @example await writeOnce(context, { what: `person ${identity}`, entity: 'person', identity, operation: 'create', send, resolve, settleDone })
 */
export async function writeOnce<T>(context: WriteContext, spec: WriteSpec<T>): Promise<WriteOutcome<T>> {
  const { tally } = context;
  const attempts = new RetryBudget(context.policy, context.clock, context.random);
  let entryId = spec.open?.entry.id;
  let unknownOutcome = spec.open !== undefined && spec.open.resolved !== true;
  if (unknownOutcome) tally.unknown += 1;
  for (;;) {
    if (unknownOutcome) {
      const id = entryId as number;
      const landed = await resolveOnce(context, spec, id, attempts);
      if (landed === 'retry') continue;
      if (landed.landed) {
        tally.foundLanded += 1;
        spec.settleDone(id, landed.result, 'found');
        return { kind: 'done', result: landed.result, how: 'found' };
      }
      unknownOutcome = false;
    }
    attempts.begin();
    // The intent is journaled when the request departs (`departureHook`), not while it waits its turn at
    // the scheduler: a write still queued when the process stops leaves nothing to look up on resume.
    let departure: Promise<number> | undefined;
    const depart = async (): Promise<void> => {
      departure ??= announce(context, spec, entryId, attempts.attempts > 1);
      entryId = await departure;
    };
    let failure: unknown;
    try {
      const result = await sendAnnouncingDepartures(depart, spec.send);
      if (departure === undefined) throw sentUnannounced(spec);
      spec.settleDone(await departure, result, 'sent');
      return { kind: 'done', result, how: 'sent' };
    } catch (error) {
      failure = error;
    }
    // Nothing departed (stopped while queued, refused before sending): there is no entry to settle.
    const departed = departure === undefined ? undefined : await departure.catch(() => undefined);
    const settled = settleFailure(context, spec, departed, failure);
    if (settled !== 'unknown' && settled !== 'not done') return settled;
    unknownOutcome = settled === 'unknown';
    if (!attempts.another()) throw keptFailing(spec, failure, attempts, unknownOutcome);
    // An unknown outcome waits at least long enough for a slow commit to land before it is looked up.
    await attempts.wait(context.signal, unknownOutcome ? context.policy.resolveAfterMs : 0);
  }
}

/**
 * A request of the write departs: its intent is made durable (a new entry, or the open one marked as sent
 * again) before the request leaves. Resolves with the entry's id.
 */
async function announce<T>(
  context: WriteContext,
  spec: WriteSpec<T>,
  entryId: number | undefined,
  resent: boolean,
): Promise<number> {
  const { journal, tally } = context;
  const id = entryId ?? (await journal.intent(intentOf(context, spec)));
  if (entryId !== undefined) await journal.retry(entryId);
  tally.sent += 1;
  if (resent) tally.resent += 1;
  return id;
}

/** A send that reached Pipedrive without passing the scheduler would have had no intent: never allowed. */
function sentUnannounced<T>(spec: WriteSpec<T>): FerryError {
  return new FerryError(
    'internal',
    `${spec.what} was sent without its departure being announced, so its intent was never journaled`,
  );
}

/**
 * Records how a send failed and says what comes next: its outcome is `unknown` (resolve it first), it was
 * `not done` (send it again), or it ended — done already, or refused for good. Throws what stops the
 * command: a config error, the budget's stop, an abort, a bug (the entry left safe to resolve).
 */
function settleFailure<T>(
  context: WriteContext,
  spec: WriteSpec<T>,
  departed: number | undefined,
  failure: unknown,
): WriteOutcome<T> | 'unknown' | 'not done' {
  const { journal, tally } = context;
  const message = messageOf(failure);
  // This attempt's entry, when its request departed; a write that never left has nothing to settle.
  const settle = (state: 'failed' | 'uncertain') => {
    if (departed !== undefined) journal.settle(departed, state, { message });
  };
  // The daily budget ran out in "stop" mode: the request was never sent, and the command stops.
  if (failure instanceof BudgetExhaustedError) {
    settle('failed');
    throw failure;
  }
  if (context.signal?.aborted || !isFerryError(failure)) {
    // Interrupted mid-request, or a bug: whether it happened is unknown until the next run looks.
    settle('uncertain');
    throw failure;
  }
  const already = spec.alreadyDone?.(failure);
  if (already?.landed && departed !== undefined) {
    spec.settleDone(departed, already.result, 'already');
    return { kind: 'done', result: already.result, how: 'already' };
  }
  if (isUncertain(failure) && departed !== undefined) {
    settle('uncertain');
    tally.unknown += 1;
    return 'unknown';
  }
  settle('failed');
  if (failure.failure === 'transient') return 'not done';
  if (failure.failure !== 'terminal') throw failure;
  tally.refused += 1;
  return { kind: 'refused', message, error: failure };
}

/** One look at whether the write landed; a passing failure of the look-up is retried like a send. */
async function resolveOnce<T>(
  context: WriteContext,
  spec: WriteSpec<T>,
  entryId: number,
  attempts: RetryBudget,
): Promise<Landed<T> | 'retry'> {
  const entry = context.journal.entry(entryId);
  if (!entry) throw new FerryError('internal', `journal entry ${entryId} of ${spec.what} is missing`);
  try {
    return await spec.resolve(entry);
  } catch (error) {
    if (context.signal?.aborted || !isFerryError(error) || error.failure !== 'transient') throw error;
    attempts.begin();
    if (!attempts.another()) throw keptFailing(spec, error, attempts, true);
    await attempts.wait(context.signal);
    return 'retry';
  }
}

function intentOf<T>(context: WriteContext, spec: WriteSpec<T>) {
  return {
    runId: context.runId,
    entity: spec.entity,
    identity: spec.identity,
    operation: spec.operation,
    ...(spec.pipedriveId !== undefined ? { pipedriveId: spec.pipedriveId } : {}),
    ...(spec.contentHash !== undefined ? { contentHash: spec.contentHash } : {}),
    ...(spec.preImage !== undefined ? { preImage: spec.preImage } : {}),
    ...(spec.intended !== undefined ? { intended: spec.intended } : {}),
  };
}

function keptFailing<T>(
  spec: WriteSpec<T>,
  error: unknown,
  attempts: RetryBudget,
  unknownOutcome: boolean,
): WritesKeptFailingError {
  const reason = (error as { reason?: unknown }).reason;
  const what = typeof reason === 'string' ? reason : messageOf(error);
  return new WritesKeptFailingError(
    `${spec.what}: ${what} — still failing after ${attempts.attempts} attempt(s) in ${Math.round(attempts.elapsedMs / 1000)} s. ` +
      `${unknownOutcome ? 'Whether it happened is unknown; the next run looks it up before sending it again. ' : ''}` +
      'Nothing is lost: run the same command again to resume.',
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
