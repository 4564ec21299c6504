import type { BackdocketObject } from '../core/objects.ts';
import type { ValueKind } from '../source/model.ts';
import type { CustomFieldType, TransformSpec } from './model.ts';
import { normaliseHeader } from './normalise-header.ts';

/**
 * The domain dictionary: for each BackDocket object, the concepts its columns can carry, their
 * Pipedrive target and the header spellings (English first, then Spanish) that name them.
 * Aliases are written naturally and normalised with the same function as headers.
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

interface ConceptInput extends Omit<Concept, 'aliases' | 'id'> {
  readonly id?: string;
  readonly aliases: string;
}

function concepts(list: readonly ConceptInput[]): Concept[] {
  return list.map((input, index) => ({
    ...input,
    // "Not migrated" can take any number of columns.
    multi: input.multi ?? input.target === null,
    id: input.id ?? `${input.target ?? 'null'}#${index}`,
    aliases: [...new Set(input.aliases.split('|').map((alias) => normaliseHeader(alias)))].filter(Boolean),
  }));
}

const date = (formats?: string[]): TransformSpec => (formats ? { kind: 'date', formats } : { kind: 'date' });
const money: TransformSpec = { kind: 'money' };
const bool: TransformSpec = { kind: 'boolean' };

const MODIFIED: ConceptInput = {
  target: null,
  aliases:
    'modified date|last modified|modified on|modified|date modified|last updated|updated at|updated on|updated|modified by|updated by|last modified by|last login|last changed|changed on|date changed|last amended|amended on|date amended|amended by|changed by|fecha de modificacion|ultima modificacion|modificado por',
  why: 'Pipedrive keeps its own update time and editor',
  kinds: ['date', 'datetime', 'text'],
};

const ADDRESS_PARTS = (entity: 'person' | 'organization', target: string): ConceptInput[] => [
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

const STAFF: ObjectCatalogue = {
  selfWords: ['staff', 'user', 'employee', 'attorney', 'member'],
  fallback: 'null',
  fallbackWhy: 'staff are matched to existing Pipedrive users by e-mail, never created',
  concepts: concepts([
    {
      target: 'user.ref:staff',
      link: 'staff',
      kinds: ['integer', 'id'],
      aliases:
        'staff id|user id|employee id|id|staff number|employee number|id usuario|id empleado|numero empleado|numero de empleado',
    },
    {
      target: 'user.email',
      kinds: ['email'],
      transform: { kind: 'email' },
      aliases:
        'email|email address|work email|login email|login|username|user name|correo electronico|correo|email corporativo|correo corporativo',
    },
    {
      target: 'user.name',
      aliases:
        'display name|full name|name|staff name|user name display|nombre completo|nombre para mostrar|nombre y apellidos',
    },
    {
      target: 'user.active_flag',
      kinds: ['boolean'],
      transform: bool,
      // A staff file's Status (Active/Inactive/Terminated/Former): its values decide, through kinds.
      aliases:
        'active|is active|enabled|status active|activo|status|employment status|employee status|user status|account status|staff status|estado|situacion',
    },
    {
      target: null,
      why: 'users are matched by e-mail; names are shown in the ownership report',
      aliases: 'first name|last name|middle name|given name|family name|nombre|apellidos',
    },
    {
      target: null,
      why: 'Pipedrive users keep their own role, office and phone',
      aliases:
        'role|title|job title|position|department|bar number|bar id|office|branch|phone|extension|hire date|created date|puesto|categoria|numero colegiado|sede|telefono|fecha alta|ultimo acceso',
    },
    MODIFIED,
  ]),
};

const CONTACT: ObjectCatalogue = {
  selfWords: ['contact', 'client', 'person', 'people', 'party', 'caller'],
  fallback: 'custom',
  concepts: concepts([
    {
      target: 'person.ref:contact',
      link: 'contact',
      kinds: ['integer', 'id'],
      aliases: 'contact id|id|person id|client id|party id|contact number|record id|id contacto|id cliente',
    },
    {
      target: 'person.name',
      transform: { kind: 'name', part: 'full' },
      aliases: 'full name|name|contact name|client name|display name|person name|nombre completo',
    },
    { target: 'person.first_name', aliases: 'first name|given name|first|forename|nombre|primer nombre' },
    { target: 'person.last_name', aliases: 'last name|surname|family name|last|apellido|apellidos' },
    {
      target: 'person.custom:Middle Name',
      fieldType: 'varchar',
      aliases: 'middle name|middle initial|middle|mi|segundo nombre',
    },
    {
      target: 'person.custom:Prefix',
      fieldType: 'enum',
      aliases: 'prefix|salutation|honorific|name prefix|tratamiento',
    },
    { target: 'person.custom:Suffix', fieldType: 'enum', aliases: 'suffix|name suffix|sufijo' },
    {
      target: 'person.custom:Nickname',
      fieldType: 'varchar',
      aliases: 'nickname|nick name|goes by|preferred name|apodo',
    },
    {
      target: 'person.org_id',
      link: 'company',
      kinds: ['integer', 'id'],
      ifTaken: null,
      aliases:
        'company id|organization id|employer id|account id|company|organization|company name|organization name|account name|employer|employer name|id empresa|empresa|nombre empresa',
    },
    {
      target: 'person.job_title',
      aliases: 'job title|title|position|occupation|role title|job|cargo|puesto|ocupacion|profesion',
    },
    {
      target: 'person.emails',
      multi: true,
      kinds: ['email'],
      transform: { kind: 'email' },
      aliases:
        'email|email address|email 1|email 2|primary email|secondary email|alternate email|other email|personal email|work email|home email|correo electronico|correo electronico 2|correo',
    },
    {
      target: 'person.phones',
      multi: true,
      kinds: ['phone'],
      transform: { kind: 'phone' },
      aliases:
        'phone|phone number|mobile phone|mobile|cell phone|home phone|work phone|business phone|office phone|primary phone|other phone|telephone|daytime phone|evening phone|phone 1|phone 2|telefono|telefono movil|telefono casa|telefono trabajo|movil|celular',
    },
    {
      target: 'person.custom:Fax',
      fieldType: 'phone',
      kinds: ['phone'],
      transform: { kind: 'phone' },
      aliases: 'fax|fax number|fax phone',
    },
    ...ADDRESS_PARTS('person', 'person.custom:Address').map((c) =>
      c.target === 'person.custom:Address' ? { ...c, fieldType: 'address' as const } : c,
    ),
    {
      target: 'person.custom:Date of Birth',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases: 'date of birth|birth date|birthdate|birthday|born|born on|fecha de nacimiento|nacimiento',
    },
    {
      target: null,
      why: 'sensitive (SSN): not migrated unless you choose to',
      aliases:
        'ssn last 4|ssn|social security|social security number|last 4 ssn|ssn 4|tax id last 4|numero seguro social',
    },
    { target: 'person.custom:Gender', fieldType: 'enum', aliases: 'gender|sex|genero|sexo' },
    {
      target: 'person.custom:Preferred Language',
      fieldType: 'enum',
      aliases: 'preferred language|language|primary language|idioma|idioma preferido',
    },
    {
      target: 'person.custom:Preferred Contact Method',
      fieldType: 'enum',
      aliases:
        'preferred contact method|contact method|contact preference|best way to contact|metodo de contacto preferido|via de contacto preferida|via de contacto',
    },
    {
      target: 'person.custom:Do Not Contact',
      fieldType: 'enum',
      kinds: ['boolean'],
      transform: bool,
      aliases: 'do not contact|dnc|no contact|do not call|opt out|no contactar',
    },
    {
      target: 'person.custom:Categories',
      fieldType: 'set',
      transform: { kind: 'split', delimiter: ';' },
      aliases: 'categories|category|tags|roles|contact roles|groups|categorias|etiquetas',
    },
    {
      target: 'person.custom:Contact Type',
      fieldType: 'enum',
      aliases: 'contact type|type|person type|record type|tipo de contacto',
    },
    {
      target: 'person.custom:Referral Source',
      fieldType: 'varchar',
      aliases:
        'referral source|referred by|source|lead source|how heard|fuente de referencia|procedencia|origen',
    },
    {
      target: 'person.custom:Notes',
      fieldType: 'text',
      transform: { kind: 'html_text' },
      aliases: 'notes|note|comment|remarks|memo|notas|observaciones',
    },
    {
      target: 'person.owner_id',
      transform: { kind: 'owner' },
      aliases: 'created by|owner|entered by|added by|record owner|creado por|alta por',
    },
    {
      target: 'person.add_time',
      kinds: ['date', 'datetime'],
      transform: { kind: 'datetime' },
      aliases:
        'created date|created|created on|date created|date added|added on|created at|creation date|entered on|date entered|entered date|fecha de creacion|fecha creado|fecha de alta|fecha alta',
    },
    MODIFIED,
    {
      target: 'person.custom:Active',
      fieldType: 'enum',
      kinds: ['boolean'],
      transform: bool,
      aliases: 'active|is active|status|activo',
    },
  ]),
};

const COMPANY: ObjectCatalogue = {
  selfWords: ['company', 'organization', 'firm', 'business', 'vendor', 'entity', 'account', 'employer'],
  fallback: 'custom',
  concepts: concepts([
    {
      target: 'organization.ref:company',
      link: 'company',
      kinds: ['integer', 'id'],
      aliases: 'company id|id|organization id|firm id|account id|record id|company number|id empresa',
    },
    {
      target: 'organization.name',
      aliases:
        'company name|name|organization name|firm name|business name|legal name|account name|company|razon social|nombre empresa|nombre',
    },
    {
      target: 'organization.custom:Company Category',
      fieldType: 'enum',
      aliases:
        'company category|category|company type|type|organization type|account type|kind|categoria|tipo de empresa',
    },
    {
      target: 'organization.custom:Parent Company',
      fieldType: 'varchar',
      aliases:
        'parent company|parent|parent organization|parent account|empresa matriz|grupo|grupo empresarial',
    },
    {
      target: 'organization.custom:Tax ID',
      fieldType: 'varchar',
      aliases: 'tax id|ein|tin|federal tax id|fein|tax number|rfc|nif|cif',
    },
    {
      target: 'organization.custom:NPI',
      fieldType: 'varchar',
      aliases: 'npi|npi number|national provider id|registro sanitario|numero registro sanitario',
    },
    {
      target: 'organization.custom:Phone',
      fieldType: 'phone',
      kinds: ['phone'],
      transform: { kind: 'phone' },
      aliases:
        'main phone|phone|phone number|telephone|office phone|main number|general phone|switchboard|switchboard number|main line|reception|telefono|telefono principal',
    },
    {
      target: 'organization.custom:Fax',
      fieldType: 'phone',
      kinds: ['phone'],
      transform: { kind: 'phone' },
      aliases: 'fax|fax number|main fax',
    },
    {
      target: 'organization.custom:Email',
      fieldType: 'varchar',
      kinds: ['email'],
      transform: { kind: 'email' },
      aliases: 'email|email address|general email|main email|correo electronico|correo',
    },
    {
      target: 'organization.website',
      kinds: ['url'],
      aliases: 'website|web site|url|web address|homepage|site|sitio web|pagina web',
    },
    ...ADDRESS_PARTS('organization', 'organization.address'),
    {
      target: 'organization.custom:Notes',
      fieldType: 'text',
      transform: { kind: 'html_text' },
      aliases: 'notes|note|comment|remarks|memo|notas|observaciones',
    },
    {
      target: 'organization.custom:Active',
      fieldType: 'enum',
      kinds: ['boolean'],
      transform: bool,
      aliases: 'active|is active|status|activo',
    },
    {
      target: 'organization.add_time',
      kinds: ['date', 'datetime'],
      transform: { kind: 'datetime' },
      aliases:
        'created date|created|created on|date created|date added|created at|creation date|entered on|date entered|entered date|fecha de creacion|fecha de alta|fecha alta',
    },
    {
      target: 'organization.owner_id',
      transform: { kind: 'owner' },
      aliases: 'created by|owner|entered by|added by|record owner|creado por',
    },
    MODIFIED,
  ]),
};

const CLAIM_TYPE: ObjectCatalogue = {
  selfWords: ['claim type', 'type', 'practice area'],
  fallback: 'null',
  fallbackWhy: 'claim-type settings are listed in the rebuild reference',
  concepts: concepts([
    {
      target: 'deal.ref:claim_type',
      link: 'claim_type',
      kinds: ['integer', 'id'],
      aliases: 'claim type id|id|type id|case type id|matter type id',
    },
    {
      target: 'deal.pipeline_id',
      transform: { kind: 'value_map', map: 'claimTypes' },
      aliases: 'claim type|name|type|type name|case type|matter type|claim type name|tipo de caso|tipo',
    },
    {
      target: 'deal.custom:Practice Area',
      fieldType: 'enum',
      aliases: 'practice area|area|practice|area de practica',
    },
    {
      target: null,
      why: 'claim-type configuration is listed in the rebuild reference',
      aliases:
        'template source|template|default sol years|default statute of limitations years|intake form|expected events|active|sort order|fields',
    },
  ]),
};

const CLAIM: ObjectCatalogue = {
  selfWords: ['claim', 'matter', 'case', 'file'],
  fallback: 'custom',
  concepts: concepts([
    {
      target: 'deal.ref:claim',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|id|case id|claim record id|record id|id caso|id expediente',
    },
    {
      target: 'deal.custom:Claim Number',
      fieldType: 'varchar',
      kinds: ['id'],
      aliases:
        'claim number|case number|file number|claim reference|case reference|matter number|docket number|reference number|internal number|numero de caso|numero de expediente|referencia|display number',
    },
    {
      target: 'deal.custom:Matter ID',
      fieldType: 'varchar',
      kinds: ['id'],
      aliases: 'matter id|matter|parent matter|matter reference|id asunto|expediente vinculado',
    },
    {
      target: 'deal.title',
      aliases:
        'claim name|case name|matter name|title|name|caption|case title|case style|style|description name|nombre del caso|titulo|asunto',
    },
    {
      target: 'deal.pipeline_id',
      transform: { kind: 'value_map', map: 'claimTypes' },
      aliases:
        'claim type|case type|matter type|type|practice area|type of claim|type of case|tipo de caso|tipo',
    },
    {
      target: 'deal.status',
      transform: { kind: 'value_map', map: 'claimStatuses' },
      aliases: 'status|claim status|current status|case status|stage|phase|estado|estado del caso|situacion',
    },
    {
      target: 'deal.custom:Status Date',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases:
        'status date|status changed|status changed on|date of status|fecha de estado|fecha situacion|fecha de situacion',
    },
    {
      target: 'deal.custom:Sub Status',
      fieldType: 'enum',
      aliases: 'sub status|substatus|secondary status|status detail|subestado|subsituacion',
    },
    {
      target: 'deal.person_id',
      link: 'contact',
      kinds: ['integer', 'id'],
      ifTaken: null,
      aliases:
        'client contact id|client id|contact id|client|client name|primary client|primary contact|plaintiff|client full name|id cliente|cliente|nombre del cliente',
    },
    {
      target: 'deal.owner_id',
      transform: { kind: 'owner' },
      aliases:
        'lead attorney|attorney|responsible attorney|primary staff|assigned attorney|handling attorney|attorney assigned|lawyer|owner|primary attorney|abogado|abogado responsable|letrado|letrado responsable',
    },
    {
      target: 'deal.custom:Case Manager',
      fieldType: 'varchar',
      aliases: 'case manager|claim manager|manager|gestor del caso|tramitador',
    },
    {
      target: 'deal.custom:Paralegal',
      fieldType: 'varchar',
      aliases: 'paralegal|legal assistant|asistente legal|pasante',
    },
    {
      target: 'deal.custom:Intake Specialist',
      fieldType: 'varchar',
      aliases:
        'intake specialist|intake by|intake staff|taken by|especialista de admision|captacion|captado por',
    },
    {
      target: 'deal.custom:Office',
      fieldType: 'enum',
      aliases: 'office|branch|location office|oficina|sede',
    },
    {
      target: 'deal.custom:Referral Source',
      fieldType: 'enum',
      aliases: 'referral source|source|lead source|how heard|fuente de referencia|fuente|procedencia',
    },
    {
      target: 'deal.custom:Referred By',
      fieldType: 'varchar',
      aliases: 'referred by|referring attorney|referrer|referido por',
    },
    {
      target: 'deal.custom:Referred To Firm',
      fieldType: 'varchar',
      aliases: 'referred to firm|referred to|referred out to|referido a',
    },
    {
      target: 'deal.custom:Marketing Source',
      fieldType: 'enum',
      aliases: 'marketing source|marketing channel|campaign|ad source|canal de marketing',
    },
    {
      target: 'deal.custom:Intake Date',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases: 'intake date|date of intake|intake on|fecha de admision',
    },
    {
      target: 'deal.custom:Date Opened',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases: 'date opened|opened|open date|opened on|date open|fecha de apertura',
    },
    {
      target: 'deal.custom:Contract Signed Date',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases:
        'contract signed date|contract signed|signed date|retainer signed|date signed|retainer date|fecha de firma',
    },
    {
      target: 'deal.custom:Date of Incident',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases:
        'date of incident|date of loss|incident date|accident date|date of accident|loss date|date of injury|injury date|fecha del accidente|fecha del incidente|fecha de accidente|fecha del siniestro|fecha siniestro',
    },
    {
      target: 'deal.custom:Statute of Limitations',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases:
        'statute of limitations|statute of limitations date|statute date|limitations date|limitation date|limitation deadline|limitation expiry|limitation period expires|sol deadline|sol date|time bar date|statute|fecha de prescripcion',
    },
    {
      target: 'deal.custom:SOL Type',
      fieldType: 'enum',
      aliases: 'sol type|statute of limitations type|statute type|limitations type',
    },
    {
      target: 'deal.custom:Incident State',
      fieldType: 'enum',
      aliases: 'incident state|state of incident|accident state|loss state|estado del accidente',
    },
    {
      target: 'deal.custom:Incident County',
      fieldType: 'varchar',
      aliases: 'incident county|county of incident|accident county|loss county|condado',
    },
    {
      target: 'deal.custom:Incident Location',
      fieldType: 'varchar',
      aliases:
        'incident location|accident location|location of incident|loss location|location|lugar del accidente|lugar del siniestro|lugar de los hechos',
    },
    {
      target: 'deal.custom:Incident Description',
      fieldType: 'text',
      aliases:
        'incident description|description|facts|incident summary|case summary|summary|accident description|descripcion|resumen',
    },
    { target: 'deal.custom:Venue', fieldType: 'varchar', aliases: 'venue|jurisdiction|jurisdiccion' },
    { target: 'deal.custom:Court', fieldType: 'varchar', aliases: 'court|court name|tribunal|juzgado' },
    {
      target: 'deal.custom:Cause Number',
      fieldType: 'varchar',
      aliases:
        'cause number|docket|court case number|cause|civil action number|suit number|numero de causa|numero autos|numero de autos|autos',
    },
    {
      target: 'deal.custom:Defendants',
      fieldType: 'text',
      aliases:
        'defendant|defendants|defendant s|adverse party|opposing party|demandado|demandados|contrarios|parte contraria',
    },
    {
      target: 'deal.custom:Opposing Counsel',
      fieldType: 'varchar',
      aliases:
        'opposing counsel|defense counsel|defense attorney|opposing attorney|abogado contrario|letrado contrario',
    },
    {
      target: 'deal.custom:Total Medical Bills',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases:
        'total medical bills|medical bills|medicals|medical specials|med bills total|total medicals|gastos medicos',
    },
    {
      target: 'deal.custom:Demand Amount',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases: 'demand amount|demand|policy demand|monto de demanda|importe reclamado|cuantia reclamada',
    },
    {
      target: 'deal.custom:Demand Date',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases: 'demand date|date of demand|demand sent|demand sent date|fecha de demanda',
    },
    {
      target: 'deal.custom:Last Offer',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases: 'last offer|last offer amount|latest offer|current offer|offer|ultima oferta',
    },
    {
      target: 'deal.custom:Last Offer Date',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases: 'last offer date|offer date|latest offer date|fecha de ultima oferta',
    },
    {
      target: 'deal.value',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases:
        'settlement amount|gross settlement|settlement|settlement value|settled amount|amount settled|gross recovery|recovery|damages recovered|case value|monto del acuerdo|acuerdo',
    },
    {
      target: 'deal.custom:Settlement Date',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases: 'settlement date|date settled|settled on|fecha de acuerdo',
    },
    {
      target: 'deal.custom:Attorney Fee %',
      fieldType: 'double',
      kinds: ['percent', 'number'],
      transform: { kind: 'percent' },
      aliases:
        'attorney fee percent|fee percent|contingency fee|contingency percent|fee rate|contingency|porcentaje de honorarios|honorarios percent',
    },
    {
      target: 'deal.custom:Attorney Fee',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases: 'attorney fee|attorney fees|fee amount|fee|legal fee|honorarios',
    },
    {
      target: 'deal.custom:Case Costs',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases: 'case costs|costs|case expenses|expenses|costos|gastos|suplidos',
    },
    {
      target: 'deal.custom:Liens Total',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases: 'liens total|liens|total liens|lien amount|gravamenes',
    },
    {
      target: 'deal.custom:Net to Client',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: money,
      aliases: 'net to client|client net|net recovery|net|neto al cliente|neto cliente',
    },
    {
      target: 'deal.close_time',
      kinds: ['date', 'datetime'],
      transform: { kind: 'datetime' },
      aliases: 'closed date|date closed|closed on|close date|closed|fecha de cierre',
    },
    {
      target: 'deal.custom:Closed Reason',
      fieldType: 'enum',
      aliases: 'closed reason|close reason|reason closed|closing reason|motivo de cierre',
    },
    {
      target: 'deal.lost_reason',
      aliases:
        'rejected reason|reject reason|reason rejected|rejection reason|decline reason|declined reason|lost reason|motivo de rechazo',
    },
    {
      target: 'deal.custom:Active',
      fieldType: 'enum',
      kinds: ['boolean'],
      transform: bool,
      aliases: 'active|is active|activo',
    },
    {
      target: 'deal.custom:Deactivated Date',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases: 'deactivated date|deactivated on|date deactivated|inactive date|fecha de desactivacion',
    },
    {
      target: 'deal.custom:Created By',
      fieldType: 'varchar',
      aliases: 'created by|entered by|added by|creado por',
    },
    {
      target: 'deal.custom:Original Create Date',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases:
        'created date|created|created on|date created|date added|created at|creation date|fecha de creacion',
    },
    MODIFIED,
  ]),
};

const CLAIM_CONTACT: ObjectCatalogue = {
  selfWords: [],
  fallback: 'custom',
  concepts: concepts([
    {
      target: 'deal.ref:claim',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: 'deal.person_id',
      link: 'contact',
      kinds: ['integer', 'id'],
      aliases: 'contact id|person id|party id|contact|id contacto',
    },
    {
      target: 'deal.org_id',
      link: 'company',
      kinds: ['integer', 'id'],
      aliases: 'company id|organization id|company|id empresa',
    },
    {
      target: 'deal.custom:Contact Roles',
      fieldType: 'text',
      transform: { kind: 'text', rollup: 'list' },
      aliases: 'role|contact role|party role|relationship|role on claim|rol|papel',
    },
    {
      target: null,
      why: 'decides which contact becomes the deal person',
      kinds: ['boolean'],
      aliases: 'is primary|primary|primary contact|is main|principal',
    },
    MODIFIED,
  ]),
};

const CLAIM_STAFF: ObjectCatalogue = {
  selfWords: [],
  fallback: 'null',
  fallbackWhy: 'staff assignments only decide the owner and staff-role fields',
  concepts: concepts([
    {
      target: 'deal.ref:claim',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: 'deal.owner_id',
      link: 'staff',
      transform: { kind: 'owner' },
      aliases: 'staff id|user id|employee id|staff|attorney id|id usuario',
    },
    {
      target: null,
      why: 'the staff member is resolved through the staff id',
      aliases: 'staff name|name|user name|employee name|nombre',
    },
    {
      target: 'deal.custom:Staff Roles',
      fieldType: 'text',
      transform: { kind: 'text', rollup: 'list' },
      aliases: 'role on claim|role|staff role|assignment role|rol',
    },
    {
      target: null,
      why: 'decides which staff member owns the deal',
      kinds: ['boolean'],
      aliases: 'is lead|lead|primary|is primary|lead attorney flag|principal',
    },
    {
      target: null,
      why: 'assignment history is not kept in Pipedrive',
      aliases:
        'assigned date|assigned on|unassigned date|unassigned on|date assigned|date unassigned|removed date|start date|end date',
    },
  ]),
};

const STATUS_HISTORY: ObjectCatalogue = {
  selfWords: [],
  fallback: 'null',
  fallbackWhy: 'status history becomes one timeline note per deal',
  concepts: concepts([
    {
      target: 'deal.ref:claim',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: null,
      why: 'the deal is found through the claim id',
      aliases: 'claim number|case number|matter number|numero de caso',
    },
    {
      target: 'note.content',
      multi: true,
      transform: { kind: 'text', part: 'from' },
      aliases:
        'from status|old status|previous status|status from|prior status|estado anterior|old value|previous value|situacion anterior',
    },
    {
      target: 'note.content',
      multi: true,
      transform: { kind: 'text', part: 'to' },
      aliases: 'to status|new status|status to|status|changed to|estado nuevo|new value|situacion nueva',
    },
    {
      target: 'note.add_time',
      kinds: ['date', 'datetime'],
      transform: { kind: 'datetime' },
      aliases: 'changed on|change date|date changed|changed at|date|timestamp|when|fecha de cambio|fecha',
    },
    {
      target: 'note.user_id',
      transform: { kind: 'owner' },
      aliases: 'changed by|user|by|modified by|staff|cambiado por|usuario',
    },
    {
      target: 'note.content',
      multi: true,
      transform: { kind: 'text', part: 'comment' },
      aliases: 'comment|comments|note|notes|reason|comentario',
    },
  ]),
};

const INTAKE: ObjectCatalogue = {
  selfWords: ['intake', 'lead', 'submission'],
  fallback: 'custom',
  concepts: concepts([
    {
      target: 'lead.ref:intake',
      link: 'intake',
      kinds: ['integer', 'id'],
      aliases: 'intake id|id|submission id|lead id|id admision',
    },
    {
      target: 'lead.custom:Intake Form',
      fieldType: 'enum',
      aliases: 'intake form|form|form name|formulario',
    },
    {
      target: 'lead.custom:Matter Type',
      fieldType: 'enum',
      aliases: 'claim type|case type|matter type|type|practice area|tipo de caso',
    },
    {
      target: 'lead.custom:Submitted On',
      fieldType: 'date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases:
        'submitted on|submitted|submission date|date submitted|created date|received on|fecha de envio',
    },
    {
      target: 'lead.owner_id',
      transform: { kind: 'owner' },
      aliases: 'intake specialist|specialist|taken by|intake by|assigned to|owner|especialista',
    },
    {
      target: 'lead.custom:Lead Source',
      fieldType: 'enum',
      aliases: 'lead source|source|referral source|how heard|marketing source|fuente',
    },
    {
      target: 'person.name',
      transform: { kind: 'name', part: 'full' },
      aliases: 'caller name|caller|name|contact name|prospect name|nombre del llamante|nombre',
    },
    {
      target: 'person.phones',
      multi: true,
      kinds: ['phone'],
      transform: { kind: 'phone' },
      aliases: 'caller phone|phone|phone number|callback number|telefono',
    },
    {
      target: 'person.emails',
      multi: true,
      kinds: ['email'],
      transform: { kind: 'email' },
      aliases: 'caller email|email|email address|correo electronico',
    },
    {
      target: 'lead.custom:Injured Party',
      fieldType: 'varchar',
      aliases: 'injured party|injured person|victim|lesionado',
    },
    {
      target: 'lead.custom:Relationship to Injured',
      fieldType: 'enum',
      aliases: 'relationship to injured|relationship|relation to injured|parentesco',
    },
    {
      target: 'lead.custom:Date of Incident',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases:
        'date of incident|date of loss|incident date|accident date|date of accident|date of injury|fecha del incidente|fecha del accidente',
    },
    {
      target: 'lead.custom:Incident Summary',
      fieldType: 'text',
      aliases: 'incident summary|summary|description|what happened|facts|resumen',
    },
    {
      target: 'lead.custom:Injuries',
      fieldType: 'text',
      aliases: 'injuries|injury|injury description|lesiones',
    },
    {
      target: 'lead.custom:Treated At',
      fieldType: 'varchar',
      aliases: 'treated at|treatment|medical provider|hospital|treating provider|atendido en',
    },
    {
      target: 'lead.custom:Other Attorney Involved',
      fieldType: 'enum',
      aliases: 'other attorney involved|other attorney|prior attorney|represented|otro abogado',
    },
    {
      target: 'lead.custom:Intake Outcome',
      fieldType: 'enum',
      aliases: 'outcome|result|disposition|intake outcome|intake status|status|resultado',
    },
    {
      target: 'lead.custom:Outcome Reason',
      fieldType: 'varchar',
      aliases: 'outcome reason|reason|disposition reason|motivo',
    },
    {
      target: 'lead.ref:claim',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|converted claim id|claim|id caso',
    },
    {
      target: 'lead.custom:Follow-up Date',
      fieldType: 'date',
      kinds: ['date'],
      transform: date(),
      aliases: 'follow up date|follow up|next follow up|callback date|fecha de seguimiento',
    },
    MODIFIED,
  ]),
};

const ACTIVITY_FALLBACK = 'Pipedrive activities take no custom fields through the API';

const EVENT: ObjectCatalogue = {
  selfWords: ['event', 'appointment', 'calendar', 'activity'],
  fallback: 'null',
  fallbackWhy: ACTIVITY_FALLBACK,
  concepts: concepts([
    {
      target: 'activity.ref:event',
      link: 'event',
      kinds: ['integer', 'id'],
      aliases: 'event id|id|appointment id|calendar id|id evento',
    },
    {
      target: 'activity.deal_id',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: 'activity.type',
      transform: { kind: 'value_map', map: 'eventTypes' },
      aliases: 'event type|type|kind|category|appointment type|tipo de evento|tipo',
    },
    {
      target: 'activity.subject',
      aliases: 'title|subject|event title|name|event name|summary|titulo|asunto|what',
    },
    {
      target: 'activity.due_date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases: 'start date|date|start|event date|starts|begin date|from date|fecha de inicio|fecha',
    },
    {
      target: 'activity.due_time',
      transform: { kind: 'time' },
      aliases: 'start time|time|starts at|begin time|from time|hora de inicio|hora',
    },
    {
      target: 'activity.duration',
      multi: true,
      transform: { kind: 'date', part: 'end_date' },
      aliases: 'end date|end|ends|to date|until|fecha de fin',
    },
    {
      target: 'activity.duration',
      multi: true,
      transform: { kind: 'time', part: 'end_time' },
      aliases: 'end time|ends at|to time|until time|hora de fin',
    },
    {
      target: null,
      why: 'all-day events simply get no time',
      kinds: ['boolean'],
      aliases: 'all day|all day event|allday|todo el dia',
    },
    {
      target: null,
      why: 'used to convert the times to UTC (settings.sourceTimeZone when empty)',
      aliases: 'time zone|timezone|tz|zona horaria',
    },
    { target: 'activity.location', aliases: 'location|place|where|address|venue|room|ubicacion|lugar' },
    {
      target: 'activity.owner_id',
      transform: { kind: 'owner' },
      aliases:
        'staff attendees|staff|attendees staff|assigned to|organizer|owner|staff attending|personal asistente|asistentes del despacho|attending staff',
    },
    {
      target: 'activity.participants',
      link: 'contact',
      aliases:
        'contact attendees|contacts|clients attending|contact|participants|attendees contacts|contactos|attendee names|attendees|asistentes cliente',
    },
    {
      target: 'activity.note',
      transform: { kind: 'html' },
      aliases: 'description|notes|details|note|body|comments|comment|descripcion|notas',
    },
    {
      target: 'activity.done',
      kinds: ['boolean'],
      transform: bool,
      aliases:
        'completed|done|is completed|complete|finished|closed|is closed|completado|hecho|realizado|realizada',
    },
    {
      target: null,
      why: 'Pipedrive sets the done time itself',
      aliases: 'completed on|completed date|date completed|done on|fecha de completado',
    },
    {
      target: null,
      why: ACTIVITY_FALLBACK,
      aliases: 'reminder|expected event|created by|created date|created on|recurrence',
    },
  ]),
};

const TASK: ObjectCatalogue = {
  selfWords: ['task', 'todo', 'to do'],
  fallback: 'null',
  fallbackWhy: ACTIVITY_FALLBACK,
  concepts: concepts([
    {
      target: 'activity.ref:task',
      link: 'task',
      kinds: ['integer', 'id'],
      aliases: 'task id|id|todo id|id tarea',
    },
    {
      target: 'activity.deal_id',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: 'activity.subject',
      aliases: 'subject|title|task|task name|name|summary|asunto|titulo|tarea|what|to do|todo|item',
    },
    {
      target: 'activity.note',
      transform: { kind: 'html' },
      aliases: 'description|details|notes|note|body|instructions|descripcion|notas',
    },
    {
      target: 'activity.priority',
      transform: { kind: 'value_map', map: 'taskPriorities' },
      aliases: 'priority|importance|urgency|prioridad',
    },
    {
      target: 'activity.owner_id',
      transform: { kind: 'owner' },
      aliases: 'assigned to|assignee|owner|responsible|staff|asignado a|responsable',
    },
    {
      target: 'activity.due_date',
      kinds: ['date', 'datetime'],
      transform: date(),
      aliases: 'due date|due|due on|deadline|date due|fecha de vencimiento|vencimiento',
    },
    {
      target: 'activity.done',
      transform: { kind: 'value_map', map: 'taskStatuses' },
      aliases: 'status|task status|state|completed|done|estado',
    },
    {
      target: null,
      why: ACTIVITY_FALLBACK,
      aliases:
        'category|assigned by|completed date|completed on|completed by|created date|created by|created on|recurrence|source|task source|repeat|categoria',
    },
  ]),
};

const NOTE: ObjectCatalogue = {
  selfWords: ['note', 'comment', 'log'],
  fallback: 'null',
  fallbackWhy: 'Pipedrive notes have no custom fields',
  concepts: concepts([
    {
      target: 'note.ref:note',
      link: 'note',
      kinds: ['integer', 'id'],
      aliases: 'note id|id|comment id|log id|id nota',
    },
    {
      target: 'note.deal_id',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: 'note.person_id',
      link: 'contact',
      kinds: ['integer', 'id'],
      aliases: 'contact id|person id|client id|contact|id contacto',
    },
    {
      target: 'activity.type',
      transform: { kind: 'value_map', map: 'noteTypes' },
      aliases: 'note type|type|kind|category|log type|communication type|tipo de nota|tipo',
    },
    {
      target: 'note.content',
      multi: true,
      transform: { kind: 'text', part: 'subject' },
      aliases: 'subject|title|topic|heading|asunto|titulo',
    },
    {
      target: 'note.content',
      multi: true,
      transform: { kind: 'html', part: 'body' },
      aliases: 'note|body|note text|text|content|details|description|comment|nota|texto|contenido|notes',
    },
    {
      target: 'note.user_id',
      transform: { kind: 'owner' },
      aliases: 'created by|author|owner|entered by|written by|user|staff|creado por|autor',
    },
    {
      target: 'note.add_time',
      kinds: ['date', 'datetime'],
      transform: { kind: 'datetime' },
      aliases:
        'created date|created|created on|date created|date|note date|created at|entered on|date entered|written on|date written|recorded on|fecha de creacion|fecha',
    },
    {
      target: 'note.pinned_to_deal_flag',
      kinds: ['boolean'],
      transform: bool,
      aliases: 'pinned|is pinned|pin|sticky|fijado|destacada|destacado',
    },
    {
      target: null,
      why: 'Pipedrive has no confidential flag on notes; flagged in the validation report',
      kinds: ['boolean'],
      aliases: 'confidential|private|privileged|is confidential|confidencial',
    },
    MODIFIED,
  ]),
};

const DOCUMENT: ObjectCatalogue = {
  selfWords: ['document', 'file', 'attachment'],
  fallback: 'null',
  fallbackWhy: 'Pipedrive files keep only a name and a description',
  concepts: concepts([
    {
      target: 'file.ref:document',
      link: 'document',
      kinds: ['integer', 'id'],
      aliases: 'document id|id|file id|attachment id|id documento',
    },
    {
      target: 'file.deal_id',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|id caso',
    },
    {
      target: 'file.person_id',
      link: 'contact',
      kinds: ['integer', 'id'],
      aliases: 'contact id|person id|client id|contact|id contacto',
    },
    {
      target: 'file.name',
      aliases:
        'file name|filename|name|document name|title|nombre de archivo|nombre|nombre del fichero|fichero',
    },
    { target: 'file.description', aliases: 'description|notes|summary|descripcion' },
    {
      target: 'file.file',
      aliases: 'storage path|path|file path|location|relative path|ruta|ruta del archivo',
    },
    {
      target: null,
      why: 'used to check the file on disk (manifest), not stored in Pipedrive',
      aliases:
        'file size bytes|file size|size|size bytes|bytes|sha 256|sha256|checksum|hash|md5|mime type|content type|pages|page count|tamano',
    },
    {
      target: null,
      why: 'Pipedrive files keep only a name and a description',
      aliases:
        'folder|category|uploaded by|uploaded date|uploaded on|upload date|source|generated from template|template|carpeta|categoria',
    },
  ]),
};

const BILLING: ObjectCatalogue = {
  selfWords: ['entry', 'ledger', 'billing'],
  fallback: 'null',
  fallbackWhy: 'kept in the ledger CSV attached to the deal',
  concepts: concepts([
    {
      target: null,
      id: 'billing-key',
      why: 'ledger lines are rolled up; the full ledger is attached to the deal as CSV',
      kinds: ['integer', 'id'],
      aliases: 'entry id|id|ledger id|transaction id|line id|id entrada',
    },
    {
      target: 'deal.ref:claim',
      link: 'claim',
      kinds: ['integer', 'id'],
      aliases: 'claim id|case id|matter id|claim|file id|id caso',
    },
    {
      target: 'deal.custom:Ledger Total',
      fieldType: 'monetary',
      kinds: ['money', 'number', 'integer'],
      transform: { kind: 'money', rollup: 'sum' },
      aliases: 'amount|total|amount usd|line amount|value|monto|importe',
    },
    {
      target: 'deal.custom:Hours Billed',
      fieldType: 'double',
      transform: { kind: 'hours', rollup: 'sum' },
      aliases: 'hours|time|duration|hours worked|time spent|horas',
    },
    {
      target: 'deal.custom:Invoice Refs',
      fieldType: 'text',
      transform: { kind: 'text', rollup: 'list' },
      aliases: 'invoice number|invoice|invoice reference|bill number|factura|numero de factura',
    },
    {
      target: 'deal.custom:Billing Status',
      fieldType: 'varchar',
      transform: { kind: 'text', rollup: 'last' },
      aliases: 'status|billing status|payment status|state|estado',
    },
  ]),
};

const REBUILD_WHY = 'nothing writable in Pipedrive; listed in the rebuild reference';

// Known columns of the rebuild-only objects: they map to nothing, but they let a file be recognised.
const CHECK_APPROVAL: ObjectCatalogue = {
  selfWords: ['check approval', 'approval', 'check request'],
  fallback: 'null',
  fallbackWhy: REBUILD_WHY,
  concepts: concepts([
    {
      target: null,
      why: REBUILD_WHY,
      aliases:
        'approval id|check request id|request id|payee|payee type|approver|approval status|approved on|approved by|check number|requested by|requested on|purpose|bank account|printed on|cleared on|void|rejected reason|comments',
    },
  ]),
};

const DOCUMENT_TEMPLATE: ObjectCatalogue = {
  selfWords: ['template', 'document template'],
  fallback: 'null',
  fallbackWhy: REBUILD_WHY,
  concepts: concepts([
    {
      target: null,
      why: REBUILD_WHY,
      aliases:
        'template id|template name|merge fields|template category|template body|template type|last used',
    },
  ]),
};

/** Per-object concept catalogues. */
export const CATALOGUE: Readonly<Record<BackdocketObject, ObjectCatalogue>> = {
  staff: STAFF,
  contact: CONTACT,
  company: COMPANY,
  claim_type: CLAIM_TYPE,
  claim: CLAIM,
  claim_contact: CLAIM_CONTACT,
  claim_staff: CLAIM_STAFF,
  status_history: STATUS_HISTORY,
  intake: INTAKE,
  event: EVENT,
  task: TASK,
  note: NOTE,
  document: DOCUMENT,
  billing_entry: BILLING,
  check_approval: CHECK_APPROVAL,
  document_template: DOCUMENT_TEMPLATE,
};

/** Standard link field of an entity for a key of another object (for columns found by value overlap). */
export const LINK_FIELD: Readonly<Partial<Record<string, Partial<Record<BackdocketObject, string>>>>> = {
  person: { company: 'person.org_id', staff: 'person.owner_id' },
  organization: { staff: 'organization.owner_id' },
  deal: {
    contact: 'deal.person_id',
    company: 'deal.org_id',
    staff: 'deal.owner_id',
    claim: 'deal.ref:claim',
  },
  lead: {
    contact: 'lead.person_id',
    company: 'lead.organization_id',
    claim: 'lead.ref:claim',
    staff: 'lead.owner_id',
  },
  activity: { claim: 'activity.deal_id', contact: 'activity.participants', staff: 'activity.owner_id' },
  note: { claim: 'note.deal_id', contact: 'note.person_id', staff: 'note.user_id' },
  file: { claim: 'file.deal_id', contact: 'file.person_id' },
};
