/**
 * Norwegian (Bokmål) header words → the English phrase the catalogue and the reader already know; the words
 * Norwegian shares with Danish (fornavn, navn, adresse, postnummer, dato …) are read from the Danish table.
 * 'Gate' (street) is an English word too and is left alone.
 */
export const NORWEGIAN: Readonly<Record<string, string>> = {
  // Objects and keys.
  sak: 'claim',
  saker: 'claim',
  saksnummer: 'claim number',
  saksnr: 'claim number',
  // Names and persons.
  etternavn: 'last name',
  fødselsnummer: 'social security number',
  kjønn: 'gender',
  språk: 'language',
  'e-post': 'email',
  epost: 'email',
  poststed: 'city',
  gateadresse: 'street',
  // Work.
  selskap: 'company',
  organisasjonsnummer: 'tax id',
  // Matters.
  tittel: 'title',
  sakstype: 'claim type',
  opprettet: 'created',
  'opprettet dato': 'created date',
  avsluttet: 'closed',
  'avsluttet dato': 'closed date',
  beløp: 'amount',
  saksbehandler: 'responsible attorney',
  motpart: 'opposing party',
  tingrett: 'court',
  // Staff.
  medarbeider: 'staff',
  medarbeidere: 'staff',
  bruker: 'user',
  brukere: 'user',
  // Status history and audit.
  'endret av': 'changed by',
  'endret dato': 'change date',
  endret: 'changed',
  // Tasks and appointments.
  oppgave: 'task',
  oppgaver: 'task',
  forfallsdato: 'due date',
  møte: 'appointment',
  møter: 'appointment',
  utført: 'done',
  // Billing.
  'antall timer': 'hours',
  timepris: 'hourly rate',
};
