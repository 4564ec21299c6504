import type { BackdocketObject } from '../../core/objects.ts';
import type { ValueKind } from '../../source/model.ts';
import type { CustomFieldType, TransformSpec } from '../model.ts';
import { normaliseHeader } from '../normalise-header.ts';

/**
 * The shape of the domain dictionary, and how its entries are written: a concept names a Pipedrive
 * target (or null: known, deliberately not migrated) and the header spellings that name it, written
 * naturally ('date of birth|dob|fecha de nacimiento') and normalised as headers are. The data lives in
 * the files beside this one, one per family of objects; matching headers against it is the proposer's
 * (header-match.ts, propose-mapping.ts, decide-objects.ts).
 */

export interface Concept {
  readonly id: string;
  /** Target string (DESIGN.md §4) or null for "known, deliberately not migrated". */
  readonly target: string | null;
  /** Normalised alias strings. */
  readonly aliases: readonly string[];
  /** Value kinds that confirm the concept. */
  readonly kinds?: readonly ValueKind[];
  readonly fieldType?: CustomFieldType;
  readonly transform?: TransformSpec;
  /** Several columns may feed the target (emails, phones, address parts, note content). */
  readonly multi?: boolean;
  /** Target for a column that names this concept but lost it to a better column. */
  readonly ifTaken?: string | null;
  /** Why a null target is null. */
  readonly why?: string;
  /** The column is a key pointing at this object. */
  readonly link?: BackdocketObject;
}

export interface ObjectCatalogue {
  readonly concepts: readonly Concept[];
  /** What an unrecognised data column becomes: a custom field of the entity, or nothing. */
  readonly fallback: 'custom' | 'null';
  readonly fallbackWhy?: string;
  /** Words that name this object in headers (`Contact Email` in contacts.csv is just `Email`). */
  readonly selfWords: readonly string[];
}

export interface ConceptInput extends Omit<Concept, 'aliases' | 'id'> {
  readonly id?: string;
  readonly aliases: string;
}

export function concepts(list: readonly ConceptInput[]): Concept[] {
  return list.map((input, index) => ({
    ...input,
    // "Not migrated" can take any number of columns.
    multi: input.multi ?? input.target === null,
    id: input.id ?? `${input.target ?? 'null'}#${index}`,
    aliases: [...new Set(input.aliases.split('|').map((alias) => normaliseHeader(alias)))].filter(Boolean),
  }));
}

export const date = (formats?: string[]): TransformSpec =>
  formats ? { kind: 'date', formats } : { kind: 'date' };
export const money: TransformSpec = { kind: 'money' };
export const bool: TransformSpec = { kind: 'boolean' };

/** Concepts several objects share: audit columns and address parts. */

export const MODIFIED: ConceptInput = {
  target: null,
  aliases:
    'modified date|last modified|modified on|modified|date modified|last updated|updated at|updated on|updated|modified by|updated by|last modified by|last login|last changed|changed on|date changed|last amended|amended on|date amended|amended by|changed by|fecha de modificacion|ultima modificacion|modificado por',
  why: 'Pipedrive keeps its own update time and editor',
  kinds: ['date', 'datetime', 'text'],
};

export const ADDRESS_PARTS = (entity: 'person' | 'organization', target: string): ConceptInput[] => [
  {
    target,
    multi: true,
    transform: { kind: 'address', part: 'line1' },
    aliases: `address 1|address line 1|address|street|street address|address1|street 1|mailing address|direccion|domicilio|calle`,
  },
  {
    target,
    multi: true,
    transform: { kind: 'address', part: 'line2' },
    aliases: 'address 2|address line 2|address2|street 2|suite|apt|unit|direccion 2|piso|puerta|piso puerta',
  },
  {
    target,
    multi: true,
    transform: { kind: 'address', part: 'city' },
    aliases: 'city|town|ciudad|municipio|poblacion|localidad',
  },
  {
    target,
    multi: true,
    transform: { kind: 'address', part: 'state' },
    aliases: 'state|province|region|st|state province|provincia|estado provincia',
  },
  {
    target,
    multi: true,
    transform: { kind: 'address', part: 'zip' },
    aliases: 'zip|zip code|postal code|postcode|zip postal code|codigo postal|cp|c p',
  },
  {
    target,
    multi: true,
    transform: { kind: 'address', part: 'country' },
    aliases: 'country|nation|pais',
  },
  {
    target: `${entity}.custom:County`,
    fieldType: 'varchar',
    aliases: 'county|parish|condado',
  },
];
