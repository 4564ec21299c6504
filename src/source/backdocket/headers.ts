import { withoutTypeTag } from '../../core/header-tags.ts';
import { foldLetters, translateHeaderTokens } from '../../core/languages/index.ts';

/**
 * Header normalisation and the concept aliases the reader understands (backdocket-exports.md §5.17 and
 * more: other spellings, casing, snake_case/camelCase, Spanish). Concepts are what detection and the
 * data-quality checks look for; they never rename the stored columns.
 */

const TOKEN_SYNONYMS: Readonly<Record<string, string>> = {
  no: 'number',
  num: 'number',
  nbr: 'number',
  nro: 'number',
  numero: 'number',
  dt: 'date',
  tel: 'phone',
  telephone: 'phone',
  telefono: 'phone',
  cell: 'mobile',
  celular: 'mobile',
  movil: 'mobile',
  e: 'e',
  mail: 'mail',
  correo: 'email',
  identifier: 'id',
  pct: 'percent',
};

/**
 * `Claim #` → `claim number`, `ClaimID` → `claim id`, `client_contact_id` → `client contact id`,
 * `Correo electrónico` → `email electronico`.
 * @example normalizeHeader('E-mail Address') // 'email address'
 */
export function normalizeHeader(header: string): string {
  const spaced = foldLetters(
    withoutTypeTag(header.replace(/^\ufeff/, ''))
      // CRM API names: Date_of_Incident__c, Client__r.Name.
      .replace(/__[cr]\b/g, ' ')
      // Nº, N°, N.º: 'number' in Spanish, Portuguese, Italian headers.
      .replace(/\b[Nn]\.?\s?[º°]/g, ' number '),
  )
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/(?<=[a-z])(ID)\b/g, ' $1')
    .replace(/#/g, ' number ')
    .replace(/%/g, ' percent ')
    .toLowerCase()
    .replace(/\be[\s-]?mail\b/g, 'email')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (spaced === '') return '';
  // Headers in German, French, Italian, Portuguese, Dutch, Spanish or Polish read as English first (core/languages).
  return translateHeaderTokens(spaced.split(' '))
    .map((token) => TOKEN_SYNONYMS[token] ?? token)
    .join(' ');
}

/** Concepts the reader recognises in headers. */
export type Concept =
  | 'claim_id'
  | 'matter_id'
  | 'contact_id'
  | 'company_id'
  | 'staff_id'
  | 'claim_type_id'
  | 'intake_id'
  | 'event_id'
  | 'task_id'
  | 'note_id'
  | 'document_id'
  | 'entry_id'
  | 'approval_id'
  | 'template_id'
  | 'field_id'
  | 'claim_number'
  | 'claim_name'
  | 'claim_type'
  | 'status'
  | 'from_status'
  | 'to_status'
  | 'changed_on'
  | 'first_name'
  | 'last_name'
  | 'full_name'
  | 'company_name'
  | 'email'
  | 'phone'
  | 'role'
  | 'active'
  | 'date_of_birth'
  | 'ssn'
  | 'diagnosis'
  | 'date_of_incident'
  | 'statute_of_limitations'
  | 'lead_attorney'
  | 'settlement'
  | 'attorney_fee'
  | 'case_costs'
  | 'liens'
  | 'net_to_client'
  | 'storage_path'
  | 'sha256'
  | 'file_size'
  | 'file_name'
  | 'mime_type'
  | 'hours'
  | 'amount'
  | 'rate'
  | 'entry_type'
  | 'note_body'
  | 'note_type'
  | 'subject'
  | 'due_date'
  | 'assigned_to'
  | 'priority'
  | 'event_type'
  | 'start_date'
  | 'start_time'
  | 'all_day'
  | 'location'
  | 'intake_form'
  | 'submitted_on'
  | 'outcome'
  | 'caller_name'
  | 'practice_area'
  | 'expected_events'
  | 'payee'
  | 'approval_status'
  | 'approver'
  | 'check_request_id'
  | 'template_name'
  | 'merge_fields'
  | 'address'
  | 'city'
  | 'zip'
  | 'website'
  | 'tax_id'
  | 'company_category'
  | 'bar_number'
  | 'last_login'
  | 'is_primary'
  | 'is_lead'
  | 'job_title'
  | 'created_date'
  | 'invoice_number'
  | 'billable';

const ALIASES: Readonly<Record<Concept, readonly string[]>> = {
  claim_id: [
    'claim id',
    'claimid',
    'claim number id',
    'case id',
    'id caso',
    'id del caso',
    'caso id',
    'claim key',
    'claim ref',
    'claim',
  ],
  matter_id: ['matter id', 'matter number id', 'id asunto', 'matter'],
  contact_id: [
    'contact id',
    'client id',
    'client number',
    'contact number',
    'person id',
    'party id',
    'id contacto',
    'id cliente',
    'contacto id',
    'cliente id',
    'client contact id',
    'primary contact id',
    'contact',
  ],
  company_id: [
    'company id',
    'company number',
    'organization id',
    'org id',
    'organisation id',
    'firm id',
    'id empresa',
    'empresa id',
    'provider company id',
    'company',
  ],
  staff_id: ['staff id', 'user id', 'employee id', 'attorney id', 'id empleado', 'id usuario', 'staff'],
  claim_type_id: ['claim type id', 'case type id', 'matter type id', 'type id'],
  intake_id: ['intake id', 'submission id', 'lead id', 'intake submission id', 'id admision'],
  event_id: ['event id', 'calendar event id', 'appointment id', 'id evento'],
  task_id: ['task id', 'todo id', 'to do id', 'id tarea'],
  note_id: ['note id', 'note number', 'id nota', 'comment id', 'activity id'],
  document_id: ['document id', 'doc id', 'file id', 'id documento'],
  entry_id: [
    'entry id',
    'ledger id',
    'ledger entry id',
    'entry number',
    'transaction id',
    'billing id',
    'billing entry id',
    'time entry id',
  ],
  approval_id: ['approval id', 'check approval id'],
  template_id: ['template id', 'document template id'],
  field_id: ['field id'],
  claim_number: ['claim number', 'case number', 'matter number', 'file number', 'numero de caso'],
  claim_name: ['claim name', 'case name', 'matter name', 'caption', 'case title', 'nombre del caso'],
  claim_type: ['claim type', 'case type', 'matter type', 'practice type', 'tipo de caso', 'type of case'],
  status: ['status', 'claim status', 'current status', 'case status', 'matter status', 'estado', 'stage'],
  from_status: ['from status', 'old status', 'previous status', 'status from', 'estado anterior'],
  to_status: ['to status', 'new status', 'status to', 'estado nuevo'],
  changed_on: [
    'changed on',
    'changed date',
    'change date',
    'date changed',
    'status changed on',
    'fecha de cambio',
  ],
  first_name: ['first name', 'given name', 'firstname', 'nombre', 'first'],
  last_name: ['last name', 'surname', 'family name', 'lastname', 'apellido', 'apellidos', 'last'],
  full_name: [
    'name',
    'full name',
    'display name',
    'contact name',
    'client name',
    'nombre completo',
    'staff name',
  ],
  company_name: [
    'company name',
    'organization name',
    'organisation name',
    'company',
    'organization',
    'empresa',
    'nombre de la empresa',
    'firm name',
  ],
  email: [
    'email',
    'email address',
    'primary email',
    'correo',
    'email electronico',
    'correo electronico',
    'caller email',
    'work email',
    'email 1',
  ],
  phone: [
    'phone',
    'phone number',
    'mobile phone',
    'mobile',
    'home phone',
    'work phone',
    'main phone',
    'primary phone',
    'caller phone',
    'telefono',
    'phone 1',
    'cell phone',
    'mobile number',
  ],
  role: ['role', 'role on claim', 'contact role', 'staff role', 'rol', 'party role'],
  active: ['active', 'is active', 'status active', 'enabled', 'activo', 'active flag'],
  date_of_birth: ['date of birth', 'dob', 'birth date', 'birthdate', 'fecha de nacimiento'],
  ssn: ['ssn', 'ssn last 4', 'social security number', 'social security', 'ss number', 'ssn 4', 'social'],
  diagnosis: ['diagnosis', 'diagnoses', 'medical diagnosis', 'injuries', 'diagnostico', 'lesiones'],
  date_of_incident: [
    'date of incident',
    'date of loss',
    'dol',
    'doi',
    'incident date',
    'accident date',
    'date of injury',
    'injury date',
    'loss date',
    'fecha de incidente',
    'fecha del accidente',
    'fecha de accidente',
  ],
  statute_of_limitations: ['statute of limitations', 'sol', 'sol date', 'statute date', 'limitations date'],
  lead_attorney: [
    'lead attorney',
    'attorney',
    'responsible attorney',
    'primary staff',
    'assigned attorney',
    'owner',
    'abogado',
  ],
  settlement: ['settlement amount', 'gross settlement', 'settlement', 'gross amount', 'settlement gross'],
  attorney_fee: ['attorney fee', 'attorney fees', 'fee amount', 'legal fee', 'fee'],
  case_costs: ['case costs', 'costs', 'case expenses', 'expenses', 'total costs'],
  liens: ['liens total', 'liens', 'total liens', 'lien total', 'lien amount'],
  net_to_client: ['net to client', 'client net', 'net client', 'net amount to client', 'net'],
  storage_path: ['storage path', 'file path', 'path', 'relative path', 'file location', 'ruta'],
  sha256: ['sha 256', 'sha256', 'checksum', 'file hash', 'hash'],
  file_size: ['file size bytes', 'file size', 'size', 'size bytes', 'bytes'],
  file_name: ['file name', 'filename', 'document name', 'nombre del archivo'],
  mime_type: ['mime type', 'content type', 'mime'],
  hours: ['hours', 'time', 'duration', 'hrs', 'horas', 'time spent'],
  amount: ['amount', 'total', 'monto', 'importe'],
  rate: ['rate', 'hourly rate', 'tarifa'],
  entry_type: ['entry type', 'transaction type', 'ledger type'],
  note_body: ['note', 'note text', 'body', 'content', 'note body', 'comments', 'nota', 'text'],
  note_type: ['note type', 'type of note', 'tipo de nota'],
  subject: ['subject', 'title', 'asunto'],
  due_date: ['due date', 'due', 'due on', 'fecha de vencimiento', 'deadline'],
  assigned_to: ['assigned to', 'assignee', 'owner', 'asignado a', 'responsible'],
  priority: ['priority', 'prioridad'],
  event_type: ['event type', 'appointment type', 'tipo de evento'],
  start_date: ['start date', 'start', 'begins', 'start datetime', 'fecha de inicio'],
  start_time: ['start time', 'hora de inicio'],
  all_day: ['all day', 'all day event'],
  location: ['location', 'place', 'venue', 'lugar'],
  intake_form: ['intake form', 'form', 'form name'],
  submitted_on: ['submitted on', 'submitted date', 'submission date', 'date submitted'],
  outcome: ['outcome', 'result', 'disposition'],
  caller_name: ['caller name', 'caller'],
  practice_area: ['practice area', 'area of practice'],
  expected_events: ['expected events'],
  payee: ['payee', 'pay to', 'payee name'],
  approval_status: ['approval status'],
  approver: ['approver', 'approved by'],
  check_request_id: ['check request id', 'check request'],
  template_name: ['template name', 'template'],
  merge_fields: ['merge fields', 'merge field list', 'fields used'],
  address: ['address 1', 'address', 'street', 'address line 1', 'direccion'],
  city: ['city', 'ciudad'],
  zip: ['zip', 'zip code', 'postal code', 'postcode', 'codigo postal'],
  website: ['website', 'web site', 'url', 'web'],
  tax_id: ['tax id', 'ein', 'tin', 'npi'],
  company_category: ['company category', 'category', 'org type', 'company type'],
  bar_number: ['bar number', 'bar no', 'bar id'],
  last_login: ['last login', 'last sign in', 'last seen'],
  is_primary: ['is primary', 'primary'],
  is_lead: ['is lead', 'lead'],
  job_title: ['job title', 'title', 'position', 'cargo'],
  created_date: ['created date', 'created on', 'date created', 'created', 'created at', 'fecha de creacion'],
  invoice_number: ['invoice number', 'invoice', 'invoice id'],
  billable: ['billable', 'is billable', 'facturable'],
};

const BY_ALIAS: ReadonlyMap<string, readonly Concept[]> = (() => {
  const map = new Map<string, Concept[]>();
  for (const [concept, aliases] of Object.entries(ALIASES) as [Concept, readonly string[]][]) {
    for (const alias of aliases) {
      const key = normalizeHeader(alias);
      const list = map.get(key) ?? [];
      list.push(concept);
      map.set(key, list);
    }
  }
  return map;
})();

/**
 * The concepts a header may stand for. Prefixed ad-hoc columns (`WC: Date of Injury`) are matched on the
 * part after the prefix.
 * @example conceptsOf('Claim #') // ['claim_number'] ; conceptsOf('ClaimID') // ['claim_id']
 */
export function conceptsOf(header: string): readonly Concept[] {
  const normalized = normalizeHeader(header);
  const direct = BY_ALIAS.get(normalized);
  if (direct) return direct;
  const colon = header.indexOf(':');
  if (colon > 0) return BY_ALIAS.get(normalizeHeader(header.slice(colon + 1))) ?? [];
  // `Client Email`, `Mobile Phone 2`: fall back to the last meaningful tokens.
  const tokens = normalized.split(' ').filter((token) => !/^\d+$/.test(token));
  for (let start = 1; start < tokens.length; start += 1) {
    const tail = BY_ALIAS.get(tokens.slice(start).join(' '));
    if (tail?.some((concept) => TAIL_CONCEPTS.has(concept))) return tail.filter((c) => TAIL_CONCEPTS.has(c));
  }
  return [];
}

// Concepts safe to recognise from a header's last words (`Caller Email`, `Work Phone`, `Client DOB`).
const TAIL_CONCEPTS: ReadonlySet<Concept> = new Set<Concept>([
  'email',
  'phone',
  'date_of_birth',
  'ssn',
  'zip',
  'claim_id',
  'contact_id',
  'company_id',
  'staff_id',
  'claim_type_id',
  'intake_id',
  'event_id',
  'task_id',
  'note_id',
  'document_id',
  'entry_id',
]);

/** The ad-hoc prefix of a wide per-claim-type column (`WC: Date of Injury` → `WC`), or null. */
export function headerPrefix(header: string): string | null {
  const colon = header.indexOf(':');
  return colon > 0 && colon < 40 ? header.slice(0, colon).trim() : null;
}

/** Finds the first column (by index) standing for a concept. */
export function findColumn(headers: readonly string[], concept: Concept): string | undefined {
  return headers.find((header) => headerPrefix(header) === null && conceptsOf(header).includes(concept));
}

/** Every column (prefixed ones included) standing for a concept. */
export function findColumns(headers: readonly string[], concept: Concept): string[] {
  return headers.filter((header) => conceptsOf(header).includes(concept));
}

/**
 * Makes header names unique and non-empty, deterministically: `Notes`, `Notes_2`; blanks → `Column_5`.
 * @example dedupeHeaders(['Notes', 'Notes', '']) // { names: ['Notes', 'Notes_2', 'Column_3'], duplicates: ['Notes'] }
 */
export function dedupeHeaders(raw: readonly string[]): { names: string[]; duplicates: string[] } {
  const taken = new Set<string>();
  const names: string[] = [];
  const duplicates: string[] = [];
  const trimmed = raw.map((header) => header.replace(/^\ufeff/, '').trim());
  const all = new Set(trimmed.map((header) => header.toLowerCase()));
  trimmed.forEach((header, index) => {
    const base = header === '' ? `Column_${index + 1}` : header;
    let name = base;
    if (taken.has(name.toLowerCase())) {
      if (header !== '') duplicates.push(header);
      let n = 2;
      while (taken.has(`${base}_${n}`.toLowerCase()) || all.has(`${base}_${n}`.toLowerCase())) n += 1;
      name = `${base}_${n}`;
    }
    taken.add(name.toLowerCase());
    names.push(name);
  });
  return { names, duplicates };
}
