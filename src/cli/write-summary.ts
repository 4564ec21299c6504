import type { WriteTally } from '../run/write-once.ts';

/**
 * One line on how a command's writes went, when anything other than "sent once, answered" happened:
 * `Writes: 120 sent, 3 sent again after a failure, 5 with an unknown outcome looked up (2 had landed).`
 */
export function writeSummary(writes: WriteTally): string | undefined {
  if (writes.resent === 0 && writes.unknown === 0) return undefined;
  return `Writes: ${writes.sent} sent, ${writes.resent} sent again after a failure, ${writes.unknown} with an unknown outcome looked up (${writes.foundLanded} had landed).`;
}
