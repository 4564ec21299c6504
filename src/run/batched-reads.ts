import type { WriteEntity } from '../core/records.ts';
import type { Destination } from './destination.ts';

/** Ids read in one `getMany` call at most: a v2 list takes 100 ids. */
export const READ_BATCH = 100;

interface Wanted {
  /** Records that asked for it and have not released it. */
  refs: number;
  /** Set once its batch is sent: the batch's answer. */
  answer?: Promise<Map<string, Record<string, unknown>>>;
  /** Taken once already: the record may have been updated since, so a second taker reads it again. */
  taken: boolean;
}

/**
 * A delta's reads before its updates, in batches: the executor says which Pipedrive records it will read
 * (`want`) as it reads records ahead, and the reads go out `READ_BATCH` ids at a time through
 * `Destination.getMany`, instead of one get per update. `take` answers one record, sending its batch at once
 * when it is not full yet, so an update never waits for records that are not coming. An id is forgotten
 * when every record that wanted it released it: memory stays bounded by the read-ahead.
 * @example reads.want('person', '12'); const current = await reads.take('person', '12'); reads.release('person', '12')
 */
export class BatchedReads {
  private readonly destination: Destination;
  private readonly signal: AbortSignal | undefined;
  private readonly wanted = new Map<string, Wanted>();
  /** Ids wanted and not sent yet, per entity. */
  private readonly unsent = new Map<WriteEntity, string[]>();

  constructor(options: { destination: Destination; signal?: AbortSignal | undefined }) {
    this.destination = options.destination;
    this.signal = options.signal;
  }

  /** A record will be read: it joins the entity's next batch, which is sent once full. */
  want(entity: WriteEntity, id: string): void {
    const key = `${entity}:${id}`;
    const known = this.wanted.get(key);
    if (known) {
      known.refs += 1;
      return;
    }
    this.wanted.set(key, { refs: 1, taken: false });
    const unsent = this.unsent.get(entity) ?? [];
    unsent.push(id);
    this.unsent.set(entity, unsent);
    if (unsent.length >= READ_BATCH) this.send(entity);
  }

  /**
   * The current Pipedrive record (null when it is gone), from its batch, sent now if it was not yet. An id
   * not wanted before, or taken already (a record planned twice: the first may have updated it), is read
   * on its own. Whoever wanted it releases it after (`release`), whether or not it took it.
   */
  async take(entity: WriteEntity, id: string): Promise<Record<string, unknown> | null> {
    const wanted = this.wanted.get(`${entity}:${id}`);
    if (!wanted || wanted.taken) {
      const alone = await this.destination.getMany(entity, [id], this.signal);
      return alone.get(id) ?? null;
    }
    wanted.taken = true;
    if (!wanted.answer) this.send(entity);
    const answer = await wanted.answer!;
    return answer.get(id) ?? null;
  }

  /** A record that wanted this one is done with it. */
  release(entity: WriteEntity, id: string): void {
    const key = `${entity}:${id}`;
    const wanted = this.wanted.get(key);
    if (!wanted) return;
    wanted.refs -= 1;
    if (wanted.refs > 0) return;
    this.wanted.delete(key);
    // Never sent (the record did not need it after all): leave it out of the next batch.
    if (!wanted.answer) {
      const unsent = this.unsent.get(entity);
      if (unsent)
        this.unsent.set(
          entity,
          unsent.filter((other) => other !== id),
        );
    }
  }

  /** Sends the entity's unsent ids as one batch; each wanted id holds the batch's answer. */
  private send(entity: WriteEntity): void {
    const ids = this.unsent.get(entity) ?? [];
    if (ids.length === 0) return;
    this.unsent.set(entity, []);
    const answer = this.destination.getMany(entity, ids, this.signal);
    // Each taker sees the failure; nobody taking it must not make it an unhandled rejection.
    answer.catch(() => {});
    for (const id of ids) {
      const wanted = this.wanted.get(`${entity}:${id}`);
      if (wanted) wanted.answer = answer;
    }
  }
}
