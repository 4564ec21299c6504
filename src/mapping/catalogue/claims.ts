import { bool, concepts, date, MODIFIED, money, type ObjectCatalogue } from './concept.ts';

/** Claims and what hangs off them: claim types, claims (deals), their parties and staff, status history, intake (leads). */

export const CLAIM_TYPE: ObjectCatalogue = {
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

export const CLAIM: ObjectCatalogue = {
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

export const CLAIM_CONTACT: ObjectCatalogue = {
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

export const CLAIM_STAFF: ObjectCatalogue = {
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

export const STATUS_HISTORY: ObjectCatalogue = {
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

export const INTAKE: ObjectCatalogue = {
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
