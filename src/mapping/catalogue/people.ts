import { ADDRESS_PARTS, bool, concepts, date, MODIFIED, type ObjectCatalogue } from './concept.ts';

/** Who the export knows: staff (matched to Pipedrive users), contacts (persons), companies (organizations). */

export const STAFF: ObjectCatalogue = {
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

export const CONTACT: ObjectCatalogue = {
  selfWords: ['contact', 'client', 'person', 'people', 'party', 'caller'],
  fallback: 'custom',
  concepts: concepts([
    {
      target: 'person.ref:contact',
      link: 'contact',
      kinds: ['integer', 'id'],
      aliases:
        'contact id|id|person id|client id|party id|contact number|client number|record id|id contacto|id cliente',
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

export const COMPANY: ObjectCatalogue = {
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
