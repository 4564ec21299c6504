import { z } from 'zod';
import { BACKDOCKET_OBJECTS, PIPEDRIVE_ENTITIES } from '../core/objects.ts';
import { CUSTOM_FIELD_TYPES, parseTarget, TRANSFORM_KINDS } from './model.ts';

/**
 * The zod schema of `mapping.yaml`. The parsed `Mapping` type is what plan/validate/migrate consume.
 */

const target = z.string().refine((value) => parseTarget(value) !== undefined, {
  message: 'must be <entity>.<api field>, <entity>.custom:<Field Name> or <entity>.ref:<object>, or null',
});

const validZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** How one cell is turned into a Pipedrive value (see `transforms/`). */
export const transformSchema = z
  .object({
    kind: z.enum(TRANSFORM_KINDS),
    formats: z.array(z.string().min(1)).optional(),
    delimiter: z.string().min(1).optional(),
    region: z.string().length(2).optional(),
    currency: z.string().length(3).optional(),
    part: z.string().optional(),
    map: z.string().optional(),
    label: z.enum(['work', 'home', 'mobile', 'other']).optional(),
    rollup: z.enum(['sum', 'last', 'list']).optional(),
  })
  .strict();

/** One column → one target. */
export const fieldMappingSchema = z
  .object({
    column: z.string().min(1),
    target: target.nullable(),
    confidence: z.number().min(0).max(1).optional(),
    reason: z.string().optional(),
    fieldType: z.enum(CUSTOM_FIELD_TYPES).optional(),
    options: z.array(z.string()).optional(),
    transform: transformSchema.optional(),
    candidate: z
      .object({ target, confidence: z.number().min(0).max(1) })
      .strict()
      .optional(),
    decoy: z.boolean().optional(),
  })
  .strict();

/** One export file → one BackDocket object → one Pipedrive entity. */
export const fileMappingSchema = z
  .object({
    file: z.string().min(1),
    object: z.enum(BACKDOCKET_OBJECTS).nullable(),
    entity: z.enum(PIPEDRIVE_ENTITIES).nullable(),
    confidence: z.number().min(0).max(1).optional(),
    reason: z.string().optional(),
    keyColumn: z.string().nullable().optional(),
    fields: z.array(fieldMappingSchema),
  })
  .strict();

/** What a claim status becomes on the deal. */
export const statusTargetSchema = z
  .object({
    stage: z.string().min(1),
    status: z.enum(['open', 'won', 'lost']),
    lostReason: z.string().nullable().optional(),
    /** Overrides the claim type's pipeline (e.g. intake statuses in an Intake pipeline). */
    pipeline: z.string().min(1).optional(),
  })
  .strict();

export const mappingSchema = z
  .object({
    version: z.literal(1),
    settings: z
      .object({
        sourceTimeZone: z
          .string()
          .refine(validZone, { message: 'must be an IANA time zone such as America/Chicago' }),
        dateOrder: z.enum(['MDY', 'DMY', 'YMD']),
        defaultCurrency: z.string().length(3),
        defaultPhoneRegion: z.string().length(2),
      })
      .strict(),
    owners: z
      .object({
        matchBy: z.literal('email'),
        fallbackOwnerEmail: z.email().nullable(),
        unresolved: z.enum(['hold', 'fallback']),
        keepOriginalOwnerIn: z.string().min(1).nullable(),
        /** Staff name, id or e-mail → Pipedrive user e-mail, for staff whose e-mail differs or who left. */
        staff: z.record(z.string(), z.email()).default({}),
      })
      .strict(),
    duplicates: z
      .object({
        /** How likely duplicate contacts are found: by e-mail, by name + phone, or not at all. */
        contacts: z.enum(['email', 'name_phone', 'none']),
        /** `proposed` (the default): only the merges under `accepted` happen; `all`: every one found. */
        merge: z.enum(['proposed', 'all']).optional(),
        /** Duplicate contact key → the contact it merges into, accepted by a person. */
        accepted: z.record(z.string(), z.string().min(1)).optional(),
      })
      .strict(),
    pipelines: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
    valueMaps: z
      .object({
        claimTypes: z.record(
          z.string(),
          z.object({ pipeline: z.string().min(1), matterType: z.string().min(1) }).strict(),
        ),
        claimStatuses: z.record(z.string(), statusTargetSchema),
        claimStatusesByType: z.record(z.string(), z.record(z.string(), statusTargetSchema)).default({}),
        eventTypes: z.record(z.string(), z.string().min(1)),
        noteTypes: z.record(
          z.string(),
          z.object({ as: z.enum(['note', 'activity']), activityType: z.string().min(1).optional() }).strict(),
        ),
        taskStatuses: z.record(z.string(), z.boolean()).default({}),
        taskPriorities: z.record(z.string(), z.string()).default({}),
      })
      .strict(),
    objects: z.array(fileMappingSchema),
  })
  .strict();

/**
 * The parsed `mapping.yaml`.
 * - `settings`: how to read the export (source time zone, day/month order, currency, phone region)
 * - `owners`: owner policy (match staff by e-mail, fallback owner, hold unresolved, keep original owner name)
 * - `duplicates`: how likely duplicate contacts are found (`email` | `name_phone` | `none`), and which
 *   merges a person accepted (`accepted`, or `merge: all`): nothing merges without acceptance
 * - `pipelines`: pipeline name → ordered stage names
 * - `valueMaps`: claim type → pipeline + Matter Type; claim status → stage/status/lost reason (optionally per
 *   claim type); event kind → activity type; note type → note or done activity; task status → done
 * - `objects`: per export file its object, entity and the per-column targets with transforms
 * @example mapping.objects.find((o) => o.object === 'contact')?.fields.find((f) => f.target === 'person.emails')
 */
export type Mapping = z.output<typeof mappingSchema>;
/** One file's mapping (`mapping.objects[i]`). */
export type FileMapping = Mapping['objects'][number];
/** One column's mapping (`mapping.objects[i].fields[j]`). */
export type FieldMapping = FileMapping['fields'][number];
/** What a claim status becomes: stage, open/won/lost, lost reason, optional pipeline override. */
export type StatusTarget = z.output<typeof statusTargetSchema>;
/** Owner policy (`mapping.owners`). */
export type OwnerPolicy = Mapping['owners'];
/** Value maps (`mapping.valueMaps`). */
export type ValueMaps = Mapping['valueMaps'];
/** Reading settings (`mapping.settings`). */
export type MappingSettings = Mapping['settings'];
