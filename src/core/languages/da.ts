/**
 * Danish header words → the English phrase the catalogue and the reader already know. Keys are written as
 * firms write them (æ, ø, å); the index folds them (æ → ae, ø → o). 'By' (city) and 'Timer' (hours) are
 * English words too and are read only in their longer headers ('Postnr. og by' is not guessed).
 */
export const DANISH: Readonly<Record<string, string>> = {
  // Objects and keys.
  klienter: 'client',
  kunde: 'client',
  kontakter: 'contact',
  sag: 'claim',
  sager: 'claim',
  sagsnummer: 'claim number',
  sagsnr: 'claim number',
  // Names and persons.
  fornavn: 'first name',
  efternavn: 'last name',
  navn: 'name',
  'fulde navn': 'full name',
  fødselsdato: 'birth date',
  'cpr-nummer': 'social security number',
  cpr: 'social security number',
  køn: 'gender',
  sprog: 'language',
  // Address.
  adresse: 'address',
  vejnavn: 'street',
  postnummer: 'zip',
  postnr: 'zip',
  // Work.
  virksomhed: 'company',
  cvr: 'tax id',
  'cvr-nummer': 'tax id',
  stilling: 'job title',
  // Matters.
  beskrivelse: 'description',
  titel: 'title',
  sagstype: 'claim type',
  oprettet: 'created',
  'oprettet dato': 'created date',
  afsluttet: 'closed',
  'afsluttet dato': 'closed date',
  beløb: 'amount',
  salær: 'attorney fee',
  advokat: 'attorney',
  'ansvarlig advokat': 'responsible attorney',
  sagsbehandler: 'responsible attorney',
  ansvarlig: 'responsible attorney',
  modpart: 'opposing party',
  retten: 'court',
  domstol: 'court',
  parter: 'parties',
  rolle: 'role',
  // Staff.
  medarbejder: 'staff',
  medarbejdere: 'staff',
  bruger: 'user',
  brugere: 'user',
  initialer: 'initials',
  // Status history and audit.
  'gammel status': 'old status',
  'ny status': 'new status',
  'ændret af': 'changed by',
  'ændret dato': 'change date',
  ændret: 'changed',
  dato: 'date',
  // Notes.
  notat: 'note',
  notater: 'note',
  noter: 'note',
  // Tasks and appointments.
  opgave: 'task',
  opgaver: 'task',
  forfaldsdato: 'due date',
  møde: 'appointment',
  møder: 'appointment',
  udført: 'done',
  sted: 'location',
  // Documents.
  filnavn: 'file name',
  sti: 'path',
  // Billing.
  'antal timer': 'hours',
  timepris: 'hourly rate',
  fakturerbar: 'billable',
};
