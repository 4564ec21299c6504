import type { BackdocketObject } from '../../core/objects.ts';
import type { ObjectDetection } from '../model.ts';
import { type Concept, conceptsOf, findColumn, headerPrefix, normalizeHeader } from './headers.ts';

/** What identifies each object: its own id column, the columns it usually has, words in its file name. */
interface ObjectSignature {
  readonly object: BackdocketObject;
  readonly id: Concept | null;
  readonly columns: readonly Concept[];
  /** Concepts that must ALL be present for a link table (claim × contact …). */
  readonly requires?: readonly Concept[];
  readonly names: RegExp;
}

const SIGNATURES: readonly ObjectSignature[] = [
  {
    object: 'staff',
    id: 'staff_id',
    columns: [
      'first_name',
      'last_name',
      'email',
      'role',
      'bar_number',
      'job_title',
      'active',
      'last_login',
      'phone',
    ],
    names:
      /\b(staff|users?|attorneys?|employees?|personnel|team members?|empleados?|usuarios?|abogados?|initials)\b/,
  },
  {
    object: 'contact',
    id: 'contact_id',
    columns: [
      'first_name',
      'last_name',
      'email',
      'phone',
      'date_of_birth',
      'ssn',
      'address',
      'city',
      'zip',
      'company_id',
      'job_title',
    ],
    names: /\b(contacts?|clients?|people|persons?|parties|clientes?|contactos?|personas?)\b/,
  },
  {
    object: 'company',
    id: 'company_id',
    columns: [
      'company_name',
      'company_category',
      'tax_id',
      'website',
      'phone',
      'address',
      'city',
      'zip',
      'email',
    ],
    names:
      /\b(compan(y|ies)|organi[sz]ations?|orgs?|firms?|providers?|carriers?|empresas?|organizaciones?)\b/,
  },
  {
    object: 'claim_type',
    id: 'claim_type_id',
    columns: [
      'claim_type',
      'practice_area',
      'intake_form',
      'expected_events',
      'statute_of_limitations',
      'active',
    ],
    names: /\b(claim|case|matter)\s*types?\b|\bpractice areas?\b/,
  },
  {
    object: 'claim',
    id: 'claim_id',
    columns: [
      'claim_number',
      'claim_name',
      'claim_type',
      'status',
      'date_of_incident',
      'statute_of_limitations',
      'lead_attorney',
      'settlement',
      'contact_id',
      'attorney_fee',
      'net_to_client',
      'matter_id',
    ],
    names: /\b(claims?|cases?|matters?|casos?|expedientes?|asuntos?|case list|docket)\b/,
  },
  {
    object: 'claim_contact',
    id: null,
    columns: ['role', 'is_primary', 'company_id'],
    requires: ['claim_id', 'contact_id'],
    names: /\b(claim|case|matter)\s*(contacts?|parties)\b/,
  },
  {
    object: 'claim_staff',
    id: null,
    columns: ['role', 'is_lead', 'full_name'],
    requires: ['claim_id', 'staff_id'],
    names: /\b(claim|case|matter)\s*(staff|team|assignments?)\b/,
  },
  {
    object: 'status_history',
    id: null,
    columns: ['changed_on', 'claim_number'],
    requires: ['claim_id', 'to_status'],
    names: /\bstatus\s*(history|changes?|log)\b|\bhistorial\b/,
  },
  {
    object: 'intake',
    id: 'intake_id',
    columns: [
      'intake_form',
      'submitted_on',
      'caller_name',
      'outcome',
      'claim_type',
      'date_of_incident',
      'email',
      'phone',
    ],
    names: /\b(intakes?|intake submissions?|leads?|submissions?|admisiones?)\b/,
  },
  {
    object: 'event',
    id: 'event_id',
    columns: ['event_type', 'start_date', 'start_time', 'all_day', 'location', 'subject', 'claim_id'],
    names: /\b(calendar|events?|appointments?|hearings?|eventos?|calendario|agenda)\b/,
  },
  {
    object: 'task',
    id: 'task_id',
    columns: ['subject', 'due_date', 'assigned_to', 'priority', 'status', 'claim_id'],
    names: /\b(tasks?|to ?dos?|tareas?|deadlines?|follow ups?)\b/,
  },
  {
    object: 'note',
    id: 'note_id',
    columns: ['note_body', 'note_type', 'subject', 'claim_id', 'contact_id', 'created_date'],
    names: /\b(notes?|case notes|comments?|activity log|notas?)\b/,
  },
  {
    object: 'document',
    id: 'document_id',
    columns: ['file_name', 'storage_path', 'sha256', 'file_size', 'mime_type', 'claim_id'],
    names: /\b(documents?|docs?|files?|attachments?|documentos?)\b/,
  },
  {
    object: 'billing_entry',
    id: 'entry_id',
    columns: ['entry_type', 'hours', 'rate', 'amount', 'invoice_number', 'billable', 'claim_id'],
    names: /\b(billing|ledger|time entries|entry|hours|expenses|transactions|invoices?|facturacion)\b/,
  },
  {
    object: 'check_approval',
    id: 'approval_id',
    columns: ['check_request_id', 'payee', 'approval_status', 'approver', 'amount', 'claim_id'],
    names: /\b(check approvals?|check requests?|checks?|approvals?)\b/,
  },
  {
    object: 'document_template',
    id: 'template_id',
    columns: ['template_name', 'merge_fields', 'company_category'],
    names: /\b(templates?|merge templates?|plantillas?)\b/,
  },
];

/** The id concept of each object (used to pick the key column and to resolve references). */
export const OBJECT_ID_CONCEPT: Readonly<Partial<Record<BackdocketObject, Concept>>> = Object.fromEntries(
  SIGNATURES.filter((s) => s.id !== null).map((s) => [s.object, s.id]),
);

const MIN_CONFIDENCE = 0.4;

/**
 * Words a vendor puts in the name of a table that joins two objects ("Matter Contact Roles",
 * "Case Participants", "Claim Parties", "Staff Assignments"). They only count for a link signature whose
 * key columns are all there, so a file named "Roles" with one key is not turned into a link table.
 */
const LINK_TABLE_WORDS =
  /\b(roles?|links?|linked|part(y|ies)|participants?|involvements?|involved|associations?|relationships?|assignments?|assigned|junctions?|participantes?|partes|vinculos?)\b/;

/**
 * Which concepts a link table's key columns carry. Vendors that call claims "matters" head the claim key
 * 'Matter ID'; in a file without a claim id of its own that column is the claim's key (in a claims file
 * 'Matter ID' is a separate grouping number, and the file's 'Claim ID' wins).
 */
function linkKeyConcepts(has: (concept: Concept) => boolean): (concept: Concept) => boolean {
  return (concept) => has(concept) || (concept === 'claim_id' && !has('claim_id') && has('matter_id'));
}

/**
 * Decides which BackDocket object a file holds from its name and its columns; columns weigh more than
 * the name, so `Case List.csv` with claim columns is `claim` and an oddly named file is still recognised.
 * @example detectObject('Clients Export 2024.xlsx', ['Contact ID', 'First Name', 'Last Name', 'Email'])
 */
export function detectObject(fileName: string, headers: readonly string[]): ObjectDetection {
  const base = normalizeHeader(fileName.replace(/^.*\//, '').replace(/\.[a-z0-9]+$/i, ''))
    .replace(/\b(export|report|list|all|data|\d+)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const concepts = headers.filter((h) => headerPrefix(h) === null).map((h) => new Set(conceptsOf(h)));
  const has = (concept: Concept) => concepts.some((set) => set.has(concept));
  const firstColumn = concepts[0] ?? new Set<Concept>();
  // Field definitions and long-format field values describe claims' ad-hoc fields; they are not an object.
  if (has('field_id') && !has('note_id') && !has('document_id')) {
    return {
      object: null,
      confidence: 0,
      reason: `ad-hoc field ${has('claim_id') ? 'values (long format)' : 'definitions'}: column ${findColumn(headers, 'field_id')}; read with the claims, not migrated on its own`,
    };
  }
  const hasKey = linkKeyConcepts(has);
  const scored = SIGNATURES.map((signature) => {
    const matched = signature.columns.filter(has);
    let score = signature.columns.length > 0 ? (matched.length / signature.columns.length) * 0.5 : 0;
    const why: string[] = [];
    if (signature.id && has(signature.id)) {
      score += firstColumn.has(signature.id) ? 0.35 : 0.15;
      why.push(`id column ${findColumn(headers, signature.id) ?? signature.id}`);
    }
    if (signature.requires) {
      const all = signature.requires.every(hasKey);
      if (!all) score *= 0.2;
      else {
        score += 0.4;
        why.push(`links ${signature.requires.map((c) => keyColumnName(headers, c, has)).join(' + ')}`);
        // Both keys plus a joining word in the name ('roles', 'participants'): a link table, not either object.
        const linkWord = isLinkSignature(signature) ? LINK_TABLE_WORDS.exec(base)?.[0] : undefined;
        if (linkWord) {
          score += 0.25;
          why.push(`'${linkWord}' in the file name says it joins them`);
        }
      }
      // A link table has no id of its own; an own id column of another object means it is that object.
      if (all && hasOwnIdFirst(concepts[0], signature.object)) score *= 0.5;
    }
    if (matched.length > 0) why.push(`columns ${matched.map((c) => findColumn(headers, c) ?? c).join(', ')}`);
    const nameMatch = signature.names.test(base);
    if (nameMatch) {
      score += 0.25;
      why.unshift(`file name "${fileName}"`);
    }
    return { object: signature.object, score, why, nameMatch };
  }).sort((a, b) => b.score - a.score);
  const best = scored[0];
  const second = scored[1];
  if (!best || best.score < MIN_CONFIDENCE) {
    return {
      object: null,
      confidence: 0,
      reason:
        best && best.score > 0.15
          ? `not recognised: closest is ${best.object} (${best.why.join('; ')}) but too weak to trust`
          : 'not recognised: neither the file name nor the columns match a BackDocket object',
    };
  }
  const margin = second ? best.score - second.score : best.score;
  const confidence = Math.round(Math.min(0.99, best.score * 0.75 + Math.min(margin, 0.4) * 0.6) * 100) / 100;
  const named = scored.find((s) => s.nameMatch);
  const note =
    named && named.object !== best.object
      ? ` (the file name suggests ${named.object}, the columns say ${best.object})`
      : '';
  return { object: best.object, confidence, reason: `${best.why.join('; ')}${note}` };
}

/** Link tables join two objects by their keys (claim × contact, claim × staff), unlike history logs. */
function isLinkSignature(signature: ObjectSignature): boolean {
  return signature.object === 'claim_contact' || signature.object === 'claim_staff';
}

/** The header carrying a required key, naming 'Matter ID' when it stands in for the claim key. */
function keyColumnName(
  headers: readonly string[],
  concept: Concept,
  has: (concept: Concept) => boolean,
): string {
  const direct = findColumn(headers, concept);
  if (direct) return direct;
  if (concept === 'claim_id' && !has('claim_id')) return findColumn(headers, 'matter_id') ?? concept;
  return concept;
}

function hasOwnIdFirst(first: Set<Concept> | undefined, linkObject: BackdocketObject): boolean {
  if (!first) return false;
  if (linkObject === 'claim_contact' || linkObject === 'claim_staff' || linkObject === 'status_history') {
    return ['note_id', 'task_id', 'event_id', 'document_id', 'entry_id', 'intake_id', 'approval_id'].some(
      (c) => first.has(c as Concept),
    );
  }
  return false;
}
