import { describe, expect, it } from 'vitest';
import { checkExport, csv, expectColumns, proposeExport, rows } from './test-support.ts';

/** A Spanish export, written here (not taken from the evaluation styles), read as an English one would be. */

const NOMBRE = ['Lucía', 'Hugo', 'Martina', 'Pablo', 'Valeria', 'Álvaro', 'Carmen', 'Mateo'];
const APELLIDOS = ['García', 'Martínez', 'López', 'Sánchez', 'Pérez', 'Gómez', 'Fernández', 'Díaz'];

const SPANISH_EXPORT = [
  csv('Clientes.csv', [
    'Nº cliente;Nombre;Apellidos;DNI;Fecha de nacimiento;Correo electrónico;Teléfono móvil;Dirección;Código postal;Localidad;Provincia',
    ...rows(
      8,
      (i) =>
        `${3001 + i};${NOMBRE[i]};${APELLIDOS[i]} Ruiz;1234567${i}Z;${10 + i}/0${1 + (i % 9)}/19${70 + i};${NOMBRE[i]!.toLowerCase()}@ejemplo.es;6${i}0 12 34 5${i};Calle Mayor ${i + 1};2800${i};Madrid;Madrid`,
    ),
  ]),
  csv('Expedientes.csv', [
    'Número de expediente;Asunto;Nº cliente;Tipo de expediente;Estado;Fecha de apertura;Importe reclamado;Abogado responsable;Parte contraria;Juzgado',
    ...rows(
      12,
      (i) =>
        `EXP-2024/${60 + i};${APELLIDOS[i % 8]} c. Aseguradora ${i};${3001 + (i % 8)};Civil;${['Abierto', 'Cerrado', 'Suspendido'][i % 3]};0${1 + (i % 9)}/02/2024;${15 + i}.000,00 €;Ldo. Navarro;Aseguradora ${i} S.A.;Juzgado de Primera Instancia nº ${1 + (i % 4)}`,
    ),
  ]),
  csv('Notas.csv', [
    'ID nota;Número de expediente;Fecha;Autor;Texto',
    ...rows(
      20,
      (i) =>
        `${7001 + i};EXP-2024/${60 + (i % 12)};1${i % 9}/04/2024;Ldo. Navarro;Llamada con el cliente ${i}`,
    ),
  ]),
];

describe('a Spanish export', () => {
  it(
    'reads a Spanish export: clientes, expedientes by número de expediente, notas on the expedientes',
    checkExport(SPANISH_EXPORT, {
      contacts: 'Clientes.csv',
      matters: 'Expedientes.csv',
      notes: 'Notas.csv',
      keys: {
        'Clientes.csv': 'Nº cliente',
        'Expedientes.csv': 'Número de expediente',
        'Notas.csv': 'ID nota',
      },
      columns: {
        'Clientes.csv': {
          Nombre: 'person.first_name',
          Apellidos: 'person.last_name',
          'Fecha de nacimiento': 'person.custom:Date of Birth',
          'Correo electrónico': 'person.emails',
          'Teléfono móvil': 'person.phones',
          Dirección: 'person.custom:Address',
          'Código postal': 'person.custom:Address',
          Localidad: 'person.custom:Address',
        },
        'Expedientes.csv': {
          Asunto: 'deal.title',
          'Nº cliente': 'deal.person_id',
          Estado: 'deal.status',
          'Fecha de apertura': 'deal.custom:Date Opened',
          'Importe reclamado': 'deal.custom:Demand Amount',
          'Abogado responsable': 'deal.owner_id',
          'Parte contraria': 'deal.custom:Defendants',
          Juzgado: 'deal.custom:Court',
        },
        'Notas.csv': { 'Número de expediente': 'note.deal_id', Autor: 'note.user_id', Texto: 'note.content' },
      },
    }),
  );

  it.each([
    ['Horas.csv', 'billing_entry', { 'Nº expediente': 'deal.ref:claim', Horas: 'deal.custom:Hours Billed' }],
    [
      'Usuarios.csv',
      'staff',
      { Iniciales: 'user.ref:staff', 'Nombre completo': 'user.name', Activo: 'user.active_flag' },
    ],
    [
      'Expedientes.csv',
      'claim',
      { 'ID contacto': 'deal.person_id', Estado: 'deal.status', 'Fecha de cierre': 'deal.close_time' },
    ],
    [
      'Tareas.csv',
      'task',
      {
        'Nº expediente': 'activity.deal_id',
        'Fecha de vencimiento': 'activity.due_date',
        Realizada: 'activity.done',
      },
    ],
    [
      'Documentos.csv',
      'document',
      { 'Nº expediente': 'file.deal_id', 'Nombre de archivo': 'file.name', Ruta: 'file.file' },
    ],
    [
      'Historial de estados.csv',
      'status_history',
      {
        'Nº expediente': 'deal.ref:claim',
        'Estado nuevo': 'note.content',
        'Fecha de cambio': 'note.add_time',
      },
    ],
  ] as const)('%s is %s with its columns read', async (file, object, columns) => {
    const { decided, proposal } = await proposeExport(OTHER_OBJECTS);
    expect(decided.get(file)?.object).toBe(object);
    expectColumns(proposal, file, columns);
  });
});

const OTHER_OBJECTS = [
  csv('Contactos.csv', [
    'ID contacto;Nombre;Apellidos;Correo electrónico',
    ...rows(8, (i) => `${1001 + i};N${i};A${i};n${i}@x.es`),
  ]),
  csv('Expedientes.csv', [
    'Nº expediente;Asunto;ID contacto;Abogado responsable;Estado;Fecha de cierre',
    ...rows(
      12,
      (i) =>
        `E${500 + i};X c. Y ${i};${1001 + (i % 8)};LN;${['Abierto', 'Cerrado'][i % 2]};0${1 + (i % 9)}/04/2024`,
    ),
  ]),
  csv('Usuarios.csv', [
    'Iniciales;Nombre completo;Correo electrónico;Activo',
    ...rows(4, (i) => `LN${i};Luis Navarro ${i};l${i}@despacho.es;${['sí', 'no'][i % 2]}`),
  ]),
  csv('Tareas.csv', [
    'Nº tarea;Nº expediente;Asunto;Fecha de vencimiento;Realizada;Asignado a',
    ...rows(
      15,
      (i) =>
        `${3000 + i};E${500 + (i % 12)};Demanda ${i};1${i % 9}/05/2024;${['sí', 'no'][i % 2]};LN${i % 4}`,
    ),
  ]),
  csv('Documentos.csv', [
    'Nº documento;Nº expediente;Nombre de archivo;Ruta',
    ...rows(15, (i) => `${6000 + i};E${500 + (i % 12)};Escrito${i}.pdf;docs/Escrito${i}.pdf`),
  ]),
  csv('Horas.csv', [
    'ID;Nº expediente;Fecha;Horas;Tarifa;Importe;Facturable',
    ...rows(
      15,
      (i) =>
        `${9000 + i};E${500 + (i % 12)};0${1 + (i % 9)}/04/2024;1,5;200,00;300,00;${['sí', 'no'][i % 2]}`,
    ),
  ]),
  csv('Historial de estados.csv', [
    'Nº expediente;Estado anterior;Estado nuevo;Fecha de cambio;Cambiado por',
    ...rows(
      20,
      (i) =>
        `E${500 + (i % 12)};Abierto;${['Suspendido', 'Cerrado'][i % 2]};0${1 + (i % 9)}/04/2024;LN${i % 4}`,
    ),
  ]),
];

const COMPANIES = [
  csv('Empresas.csv', [
    'ID empresa;Nombre;NIF;Teléfono',
    ...rows(6, (i) => `${800 + i};Construcciones ${i} S.L.;B1234567${i};91 123 45 6${i}`),
  ]),
];

describe('Spanish words that are ambiguous alone', () => {
  it('reads "Nombre" alone in a companies file as the company name', async () => {
    const { decided, proposal } = await proposeExport(COMPANIES);
    expect(decided.get('Empresas.csv')?.object).toBe('company');
    expectColumns(proposal, 'Empresas.csv', { Nombre: 'organization.name' });
  });
});
