import type { MappingEdit } from './mapping-file.ts';
import type { Mapping, StatusTarget } from './mapping-schema.ts';

/**
 * The value maps as a person edits them (claim type → pipeline, claim status → stage per pipeline), turned
 * into `MappingEdit`s on mapping.yaml. Pure: the UI shows `statusStagesByPipeline` and saves the edits.
 */

/** Claim types whose deals go to `pipeline`. */
export function claimTypesOfPipeline(mapping: Mapping, pipeline: string): string[] {
  return Object.entries(mapping.valueMaps.claimTypes)
    .filter(([, target]) => target.pipeline === pipeline)
    .map(([type]) => type);
}

/** The statuses a pipeline's stage form lists: those not sent to another pipeline by their own target. */
export function statusesOfPipeline(mapping: Mapping, pipeline: string): string[] {
  return Object.entries(mapping.valueMaps.claimStatuses)
    .filter(([, target]) => (target.pipeline ?? pipeline) === pipeline)
    .map(([status]) => status);
}

/**
 * The stage a status lands in for the claim types of a pipeline: a per-type override where one exists
 * (the first claim type's, in file order), else the general status map.
 * @example statusStage(mapping, 'Auto', 'Chase Call') // 'Chase Call'
 */
export function statusStage(mapping: Mapping, pipeline: string, status: string): string | undefined {
  const { claimStatuses, claimStatusesByType } = mapping.valueMaps;
  for (const type of claimTypesOfPipeline(mapping, pipeline)) {
    const override = claimStatusesByType[type]?.[status];
    if (override) return override.stage;
  }
  return claimStatuses[status]?.stage;
}

/**
 * Edits that make each status land in the chosen stage for every claim type of `pipeline`. A choice equal
 * to the general status map removes the per-type override instead of repeating it.
 * @example statusStageEdits(mapping, 'Auto', new Map([['Active w/ Contract', 'Chase Call']]))
 */
export function statusStageEdits(
  mapping: Mapping,
  pipeline: string,
  stages: ReadonlyMap<string, string>,
): MappingEdit[] {
  const { claimStatuses, claimStatusesByType } = mapping.valueMaps;
  const edits: MappingEdit[] = [];
  for (const type of claimTypesOfPipeline(mapping, pipeline)) {
    for (const [status, stage] of stages) {
      const general = claimStatuses[status];
      if (!general || (general.pipeline ?? pipeline) !== pipeline) continue;
      const override = claimStatusesByType[type]?.[status];
      const wanted: StatusTarget = { ...(override ?? general), stage };
      const path = ['valueMaps', 'claimStatusesByType', type, status];
      if (sameTarget(wanted, general)) {
        if (override) edits.push({ path, value: undefined });
      } else if (!override || !sameTarget(override, wanted)) {
        edits.push({ path, value: wanted });
      }
    }
  }
  return edits;
}

/** Edits that send each claim type's deals to the chosen pipeline. */
export function claimTypePipelineEdits(
  mapping: Mapping,
  pipelines: ReadonlyMap<string, string>,
): MappingEdit[] {
  return [...pipelines]
    .filter(([type, pipeline]) => {
      const current = mapping.valueMaps.claimTypes[type];
      return current !== undefined && current.pipeline !== pipeline;
    })
    .map(([type, pipeline]) => ({ path: ['valueMaps', 'claimTypes', type, 'pipeline'], value: pipeline }));
}

function sameTarget(a: StatusTarget, b: StatusTarget): boolean {
  return (
    a.stage === b.stage &&
    a.status === b.status &&
    (a.lostReason ?? null) === (b.lostReason ?? null) &&
    a.pipeline === b.pipeline
  );
}
