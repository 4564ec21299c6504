import type { RowRef } from '../core/records.ts';

/** A claim's status change, one line of its status timeline note. */
export interface HistoryEntry {
  readonly at: string | null;
  readonly from: string;
  readonly to: string;
  readonly by: string;
  readonly comment: string;
  readonly line: number;
}

/** A link a feeder row offers its claim's deal (a contact or company on the claim). */
export interface FeedLink {
  readonly field: 'person_id' | 'org_id';
  readonly entity: 'person' | 'organization';
  readonly identity: string;
  readonly primary: boolean;
}

/** A value a feeder row adds to one of its deal's custom fields, rolled up over the claim's rows. */
export interface FeedValue {
  readonly key: string;
  readonly rollup: 'sum' | 'last' | 'list';
  readonly value: unknown;
}

/**
 * What one feeder row leaves for its claim until the claim's deal, status timeline note and ledger file are
 * planned: its share of the deal (`deal`: the row itself when it folds into the deal, links, owner and
 * custom values), a status change (`history`) or a ledger line (`ledger`).
 */
export type FeedItem =
  | {
      readonly kind: 'deal';
      /** The row folded into the deal (claim contacts and staff), sharing the deal's outcome. */
      readonly row?: RowRef | undefined;
      readonly links?: readonly FeedLink[] | undefined;
      readonly owners?: readonly { readonly ref: string; readonly primary: boolean }[] | undefined;
      readonly values?: readonly FeedValue[] | undefined;
    }
  | { readonly kind: 'history'; readonly row: RowRef; readonly entry: HistoryEntry }
  | {
      readonly kind: 'ledger';
      readonly row: RowRef;
      readonly line: number;
      readonly values: Readonly<Record<string, string>>;
    };

export type FeedKind = FeedItem['kind'];

/**
 * Where the planner keeps feeder rows by claim. They are read in file order but used per claim, so on a
 * large export they outgrow memory: `ferry validate`, `plan` and `migrate` keep them in a temporary
 * SQLite file (SqliteClaimFeeds); tests and small runs use MemoryClaimFeeds.
 * @example feeds.add('1042', { kind: 'history', row, entry }); feeds.items('1042', 'history') // [{ kind: 'history', … }]
 */
export interface ClaimFeeds {
  add(claimKey: string, item: FeedItem): void;
  /** The claim's items of one kind, in the order they were added. */
  items<K extends FeedKind>(claimKey: string, kind: K): Extract<FeedItem, { kind: K }>[];
  /** Claims with items of `kind`, in the order of each claim's first item of any kind. */
  claims(kind: FeedKind): Iterable<string>;
}

/** Feeder rows held in memory: for tests and small exports. */
export class MemoryClaimFeeds implements ClaimFeeds {
  private readonly byClaim = new Map<string, FeedItem[]>();

  add(claimKey: string, item: FeedItem): void {
    const items = this.byClaim.get(claimKey);
    if (items) items.push(item);
    else this.byClaim.set(claimKey, [item]);
  }

  items<K extends FeedKind>(claimKey: string, kind: K): Extract<FeedItem, { kind: K }>[] {
    return (this.byClaim.get(claimKey) ?? []).filter(
      (item): item is Extract<FeedItem, { kind: K }> => item.kind === kind,
    );
  }

  *claims(kind: FeedKind): Iterable<string> {
    for (const [claimKey, items] of this.byClaim)
      if (items.some((item) => item.kind === kind)) yield claimKey;
  }
}
