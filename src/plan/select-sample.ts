/** A claim as the sample picker sees it: its key and the features a sample should cover. */
export interface SampleCandidate {
  readonly key: string;
  /** Feature labels such as `type:Auto`, `status:Closed`, `event:Deposition`. */
  readonly features: readonly string[];
}

/**
 * Picks `size` claims that together cover as many distinct features (claim types, statuses, activity
 * kinds) as possible, greedily, then fills up evenly across the rest. Pure and deterministic: the same
 * candidates give the same sample, so a sample run can be repeated and compared.
 * @example selectSample([{ key: '1', features: ['type:Auto'] }, { key: '2', features: ['type:WC'] }], 1) // ['1']
 */
export function selectSample(candidates: readonly SampleCandidate[], size: number): string[] {
  if (size <= 0 || candidates.length === 0) return [];
  if (size >= candidates.length) return candidates.map((candidate) => candidate.key);
  const uncovered = new Set(candidates.flatMap((candidate) => candidate.features));
  const chosen = new Set<string>();
  const picked: string[] = [];
  while (picked.length < size && uncovered.size > 0) {
    let best: SampleCandidate | undefined;
    let bestGain = 0;
    for (const candidate of candidates) {
      if (chosen.has(candidate.key)) continue;
      const gain = candidate.features.filter((feature) => uncovered.has(feature)).length;
      if (gain > bestGain) {
        best = candidate;
        bestGain = gain;
      }
    }
    if (!best) break;
    chosen.add(best.key);
    picked.push(best.key);
    for (const feature of best.features) uncovered.delete(feature);
  }
  const rest = candidates.filter((candidate) => !chosen.has(candidate.key));
  const step = rest.length / Math.max(1, size - picked.length);
  for (let i = 0; picked.length < size && i < rest.length; i += 1) {
    const candidate = rest[Math.floor(i * step)];
    if (candidate && !chosen.has(candidate.key)) {
      chosen.add(candidate.key);
      picked.push(candidate.key);
    }
  }
  return picked;
}
