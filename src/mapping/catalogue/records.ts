import { concepts, type ObjectCatalogue } from './concept.ts';

/** Documents (files), ledger lines, and what Pipedrive cannot hold (check approvals, document templates). */

export const DOCUMENT: ObjectCatalogue = {
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

export const BILLING: ObjectCatalogue = {
  selfWords: ['entry', 'ledger', 'billing'],
  fallback: 'null',
  fallbackWhy: 'kept in the ledger CSV attached to the deal',
  concepts: concepts([
    {
      target: null,
      id: 'billing-key',
      why: 'ledger lines are rolled up; the full ledger is attached to the deal as CSV',
      kinds: ['integer', 'id'],
      aliases: 'entry id|id|ledger id|transaction id|line id|entry number|id entrada',
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
export const CHECK_APPROVAL: ObjectCatalogue = {
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

export const DOCUMENT_TEMPLATE: ObjectCatalogue = {
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
