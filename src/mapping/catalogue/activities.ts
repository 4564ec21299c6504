import { bool, concepts, date, MODIFIED, type ObjectCatalogue } from './concept.ts';

/** Calendar events and tasks (activities) and notes. */

const ACTIVITY_FALLBACK = 'Pipedrive activities take no custom fields through the API';

export const EVENT: ObjectCatalogue = {
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
    { target: 'activity.location', aliases: 'location|place|where|address|venue|room|city|ubicacion|lugar' },
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
    MODIFIED,
  ]),
};

export const TASK: ObjectCatalogue = {
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
    MODIFIED,
  ]),
};

export const NOTE: ObjectCatalogue = {
  selfWords: ['note', 'comment', 'log'],
  fallback: 'null',
  fallbackWhy: 'Pipedrive notes have no custom fields',
  concepts: concepts([
    {
      target: 'note.ref:note',
      link: 'note',
      kinds: ['integer', 'id'],
      aliases: 'note id|id|comment id|log id|note number|id nota',
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
