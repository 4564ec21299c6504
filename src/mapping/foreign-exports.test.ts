import { describe, expect, it } from 'vitest';
import { checkExport, csv, expectColumns, proposeExport, rows } from './test-support.ts';

/**
 * Exports written in German, French, Italian and Portuguese (a contacts file, a matters file referencing the
 * contacts, a notes file referencing the matters), read by the real extractor: objects, keys, column targets
 * and the references between the files must be found as they are for English exports.
 */

const GIVEN = ['Anna', 'Lukas', 'Marie', 'Jonas', 'Sophie', 'Paul', 'Lea', 'Felix'];
const FAMILY = ['Müller', 'Schmidt', 'Weber', 'Fischer', 'Becker', 'Wagner', 'Hoffmann', 'Klein'];

const GERMAN_EXPORT = [
  csv('Mandanten.csv', [
    'Mandantennummer;Anrede;Vorname;Nachname;Geburtsdatum;E-Mail;Telefon;Straße;PLZ;Ort',
    ...rows(
      8,
      (i) =>
        `M-${1001 + i};${i % 2 ? 'Herr' : 'Frau'};${GIVEN[i]};${FAMILY[i]};${10 + i}.0${1 + (i % 9)}.19${60 + i};${GIVEN[i]!.toLowerCase()}@beispiel.de;+49 30 1234${500 + i};Hauptstraße ${i + 1};1011${i};Berlin`,
    ),
  ]),
  csv('Akten.csv', [
    'Aktenzeichen;Kurzbezeichnung;Mandantennummer;Sachgebiet;Status;Eröffnet am;Streitwert;Sachbearbeiter;Gegner;Gericht',
    ...rows(
      12,
      (i) =>
        `${100 + i}/24;${FAMILY[i % 8]} ./. Versicherung ${i};M-${1001 + (i % 8)};Verkehrsrecht;${['offen', 'ruhend', 'abgeschlossen'][i % 3]};0${1 + (i % 9)}.03.2024;${12 + i}.500,00;RA Dr. Berger;Allianz AG ${i};AG Berlin-Mitte`,
    ),
  ]),
  csv('Notizen.csv', [
    'Notiz-Nr.;Aktenzeichen;Datum;Verfasser;Notiz',
    ...rows(
      20,
      (i) => `${9001 + i};${100 + (i % 12)}/24;1${i % 9}.04.2024;RA Dr. Berger;Telefonat mit Mandant ${i}`,
    ),
  ]),
];

const PRENOM = ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Jules', 'Manon', 'Gabriel'];
const NOM = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand'];

const FRENCH_EXPORT = [
  csv('clients.csv', [
    'N° client;Civilité;Prénom;Nom;Date de naissance;Courriel;Tél. portable;Adresse;Code postal;Ville',
    ...rows(
      8,
      (i) =>
        `C${2001 + i};${i % 2 ? 'M.' : 'Mme'};${PRENOM[i]};${NOM[i]};${10 + i}/0${1 + (i % 9)}/19${70 + i};${NOM[i]!.toLowerCase()}@exemple.fr;06 12 34 5${i} 0${i};${i + 3} rue de la Paix;7500${i};Paris`,
    ),
  ]),
  csv('dossiers.csv', [
    'Réf. dossier;Intitulé;N° client;Type de dossier;Statut;Date d’ouverture;Honoraires;Avocat responsable;Partie adverse;Juridiction',
    ...rows(
      12,
      (i) =>
        `D24-${300 + i};${NOM[i % 8]} c/ Assurances ${i};C${2001 + (i % 8)};Droit du travail;${['En cours', 'Clos', 'Suspendu'][i % 3]};0${1 + (i % 9)}/02/2024;${2 + i} 500,00 €;Me Lefèvre;Société ${i} SA;CPH Paris`,
    ),
  ]),
  csv('notes.csv', [
    'N° note;Réf. dossier;Date;Auteur;Texte',
    ...rows(20, (i) => `${7001 + i};D24-${300 + (i % 12)};1${i % 9}/04/2024;Me Lefèvre;Appel du client ${i}`),
  ]),
];

const NOME = ['Giulia', 'Marco', 'Sofia', 'Luca', 'Aurora', 'Matteo', 'Alice', 'Andrea'];
const COGNOME = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci'];

const ITALIAN_EXPORT = [
  csv('Clienti.csv', [
    'Codice cliente;Nome;Cognome;Data di nascita;Email;Cellulare;Indirizzo;CAP;Città',
    ...rows(
      8,
      (i) =>
        `CL${301 + i};${NOME[i]};${COGNOME[i]};${10 + i}/0${1 + (i % 9)}/19${70 + i};${COGNOME[i]!.toLowerCase()}@esempio.it;+39 333 12${300 + i};Via Roma ${i + 1};0010${i};Roma`,
    ),
  ]),
  csv('Pratiche.csv', [
    'Numero pratica;Oggetto;Codice cliente;Tipo pratica;Stato;Data apertura;Valore causa;Avvocato responsabile;Controparte;Tribunale',
    ...rows(
      12,
      (i) =>
        `P/2024/${40 + i};${COGNOME[i % 8]} c. Assicurazioni ${i};CL${301 + (i % 8)};Civile;${['Aperta', 'Chiusa', 'Sospesa'][i % 3]};0${1 + (i % 9)}/05/2024;${10 + i}.000,00;Avv. Greco;Assicurazioni ${i} SpA;Tribunale di Roma`,
    ),
  ]),
  csv('Note.csv', [
    'ID nota;Numero pratica;Data;Autore;Testo',
    ...rows(
      20,
      (i) =>
        `${5001 + i};P/2024/${40 + (i % 12)};1${i % 9}/06/2024;Avv. Greco;Telefonata con il cliente ${i}`,
    ),
  ]),
];

const NOMES = ['Ana', 'João', 'Maria', 'Pedro', 'Beatriz', 'Lucas', 'Juliana', 'Rafael'];
const SOBRENOMES = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Lima', 'Pereira', 'Costa', 'Carvalho'];

const PORTUGUESE_EXPORT = [
  csv('Clientes.csv', [
    'Código do cliente;Nome;Sobrenome;Data de nascimento;E-mail;Telefone;Endereço;CEP;Cidade;UF',
    ...rows(
      8,
      (i) =>
        `${401 + i};${NOMES[i]};${SOBRENOMES[i]};${10 + i}/0${1 + (i % 9)}/19${70 + i};${SOBRENOMES[i]!.toLowerCase()}@exemplo.com.br;(11) 9123${4000 + i};Rua das Flores ${i + 1};0131${i}-000;São Paulo;SP`,
    ),
  ]),
  csv('Processos.csv', [
    'Pasta;Título;Código do cliente;Tipo de ação;Situação;Data de abertura;Valor da causa;Advogado responsável;Parte contrária;Vara',
    ...rows(
      12,
      (i) =>
        `PA-${700 + i};${SOBRENOMES[i % 8]} x Seguradora ${i};${401 + (i % 8)};Trabalhista;${['Ativo', 'Arquivado', 'Suspenso'][i % 3]};0${1 + (i % 9)}/07/2024;${20 + i}.000,00;Dra. Almeida;Seguradora ${i} S.A.;${1 + (i % 3)}ª Vara do Trabalho`,
    ),
  ]),
  csv('Anotacoes.csv', [
    'ID;Pasta;Data;Autor;Texto',
    ...rows(
      20,
      (i) => `${8001 + i};PA-${700 + (i % 12)};1${i % 9}/08/2024;Dra. Almeida;Ligação com o cliente ${i}`,
    ),
  ]),
];

describe('exports in other languages', () => {
  it(
    'reads a German export: Mandanten, Akten by Aktenzeichen, Notizen on the Akten',
    checkExport(GERMAN_EXPORT, {
      contacts: 'Mandanten.csv',
      matters: 'Akten.csv',
      notes: 'Notizen.csv',
      keys: { 'Mandanten.csv': 'Mandantennummer', 'Akten.csv': 'Aktenzeichen', 'Notizen.csv': 'Notiz-Nr.' },
      columns: {
        'Mandanten.csv': {
          Anrede: 'person.custom:Prefix',
          Vorname: 'person.first_name',
          Nachname: 'person.last_name',
          Geburtsdatum: 'person.custom:Date of Birth',
          'E-Mail': 'person.emails',
          Telefon: 'person.phones',
          Straße: 'person.custom:Address',
          PLZ: 'person.custom:Address',
          Ort: 'person.custom:Address',
        },
        'Akten.csv': {
          Kurzbezeichnung: 'deal.title',
          Mandantennummer: 'deal.person_id',
          Status: 'deal.status',
          'Eröffnet am': 'deal.custom:Date Opened',
          Streitwert: 'deal.custom:Demand Amount',
          Sachbearbeiter: 'deal.owner_id',
          Gegner: 'deal.custom:Defendants',
          Gericht: 'deal.custom:Court',
        },
        'Notizen.csv': { Aktenzeichen: 'note.deal_id', Datum: 'note.add_time', Notiz: 'note.content' },
      },
    }),
  );

  it(
    'reads a French export: clients, dossiers by Réf. dossier, notes on the dossiers',
    checkExport(FRENCH_EXPORT, {
      contacts: 'clients.csv',
      matters: 'dossiers.csv',
      notes: 'notes.csv',
      keys: { 'clients.csv': 'N° client', 'dossiers.csv': 'Réf. dossier', 'notes.csv': 'N° note' },
      columns: {
        'clients.csv': {
          Civilité: 'person.custom:Prefix',
          Prénom: 'person.first_name',
          Nom: 'person.last_name',
          'Date de naissance': 'person.custom:Date of Birth',
          Courriel: 'person.emails',
          'Tél. portable': 'person.phones',
          'Code postal': 'person.custom:Address',
          Ville: 'person.custom:Address',
        },
        'dossiers.csv': {
          Intitulé: 'deal.title',
          'N° client': 'deal.person_id',
          Statut: 'deal.status',
          'Date d’ouverture': 'deal.custom:Date Opened',
          Honoraires: 'deal.custom:Attorney Fee',
          'Avocat responsable': 'deal.owner_id',
          'Partie adverse': 'deal.custom:Defendants',
          Juridiction: 'deal.custom:Court',
        },
        'notes.csv': { 'Réf. dossier': 'note.deal_id', Auteur: 'note.user_id', Texte: 'note.content' },
      },
    }),
  );

  it(
    'reads an Italian export: clienti, pratiche by numero pratica, note on the pratiche',
    checkExport(ITALIAN_EXPORT, {
      contacts: 'Clienti.csv',
      matters: 'Pratiche.csv',
      notes: 'Note.csv',
      keys: { 'Clienti.csv': 'Codice cliente', 'Pratiche.csv': 'Numero pratica', 'Note.csv': 'ID nota' },
      columns: {
        'Clienti.csv': {
          Nome: 'person.first_name',
          Cognome: 'person.last_name',
          'Data di nascita': 'person.custom:Date of Birth',
          Cellulare: 'person.phones',
          Indirizzo: 'person.custom:Address',
          CAP: 'person.custom:Address',
          Città: 'person.custom:Address',
        },
        'Pratiche.csv': {
          'Codice cliente': 'deal.person_id',
          Stato: 'deal.status',
          'Data apertura': 'deal.custom:Date Opened',
          'Valore causa': 'deal.custom:Demand Amount',
          'Avvocato responsabile': 'deal.owner_id',
          Controparte: 'deal.custom:Defendants',
          Tribunale: 'deal.custom:Court',
        },
        'Note.csv': { 'Numero pratica': 'note.deal_id', Autore: 'note.user_id', Testo: 'note.content' },
      },
    }),
  );

  it(
    'reads a Portuguese export: clientes, processos by pasta, anotações on the processos',
    checkExport(PORTUGUESE_EXPORT, {
      contacts: 'Clientes.csv',
      matters: 'Processos.csv',
      notes: 'Anotacoes.csv',
      keys: { 'Clientes.csv': 'Código do cliente', 'Processos.csv': 'Pasta', 'Anotacoes.csv': 'ID' },
      columns: {
        'Clientes.csv': {
          Nome: 'person.first_name',
          Sobrenome: 'person.last_name',
          'Data de nascimento': 'person.custom:Date of Birth',
          Telefone: 'person.phones',
          Endereço: 'person.custom:Address',
          Cidade: 'person.custom:Address',
          UF: 'person.custom:Address',
        },
        'Processos.csv': {
          Título: 'deal.title',
          'Código do cliente': 'deal.person_id',
          Situação: 'deal.status',
          'Data de abertura': 'deal.custom:Date Opened',
          'Valor da causa': 'deal.custom:Demand Amount',
          'Advogado responsável': 'deal.owner_id',
          'Parte contrária': 'deal.custom:Defendants',
          Vara: 'deal.custom:Court',
        },
        'Anotacoes.csv': { Pasta: 'note.deal_id', Autor: 'note.user_id', Texto: 'note.content' },
      },
    }),
  );
});

const OTHER_OBJECTS = {
  de: [
    csv('Mandanten.csv', [
      'Mandanten-Nr.;Vorname;Nachname;E-Mail',
      ...rows(8, (i) => `${1001 + i};V${i};N${i};v${i}@x.de`),
    ]),
    csv('Akten.csv', [
      'Akten-Nr.;Rubrum;Mandanten-Nr.;Sachbearbeiter;Status',
      ...rows(12, (i) => `${500 + i};A ./. B ${i};${1001 + (i % 8)};MB;${['offen', 'erledigt'][i % 2]}`),
    ]),
    csv('Aktenbeteiligte.csv', [
      'Akten-Nr.;Mandanten-Nr.;Rolle',
      ...rows(18, (i) => `${500 + (i % 12)};${1001 + (i % 8)};${['Mandant', 'Gegner', 'Zeuge'][i % 3]}`),
    ]),
    csv('Mitarbeiter.csv', [
      'Kürzel;Vorname;Nachname;E-Mail;Aktiv',
      ...rows(4, (i) => `MB${i};V${i};N${i};m${i}@kanzlei.de;${['ja', 'nein'][i % 2]}`),
    ]),
    csv('Fristen.csv', [
      'Frist-Nr.;Akten-Nr.;Betreff;Fälligkeitsdatum;Erledigt;Bearbeiter',
      ...rows(
        15,
        (i) =>
          `${3000 + i};${500 + (i % 12)};Berufungsfrist ${i};1${i % 9}.05.2024;${['ja', 'nein'][i % 2]};MB${i % 4}`,
      ),
    ]),
    csv('Termine.csv', [
      'Termin-ID;Akten-Nr.;Betreff;Beginn;Ende;Ort;Terminart',
      ...rows(
        15,
        (i) =>
          `${4000 + i};${500 + (i % 12)};Verhandlung ${i};1${i % 9}.06.2024 09:00;1${i % 9}.06.2024 10:00;LG Berlin;Gerichtstermin`,
      ),
    ]),
    csv('Dokumente.csv', [
      'Dokument-ID;Akten-Nr.;Dateiname;Dateipfad;Hochgeladen am',
      ...rows(
        15,
        (i) =>
          `${6000 + i};${500 + (i % 12)};Schreiben${i}.pdf;akten/${500 + (i % 12)}/Schreiben${i}.pdf;0${1 + (i % 9)}.04.2024`,
      ),
    ]),
    csv('Statusverlauf.csv', [
      'Akten-Nr.;Status alt;Status neu;Geändert am;Geändert von',
      ...rows(
        20,
        (i) => `${500 + (i % 12)};offen;${['ruhend', 'erledigt'][i % 2]};0${1 + (i % 9)}.04.2024;MB${i % 4}`,
      ),
    ]),
    csv('Leistungen.csv', [
      'Leistungs-Nr.;Akten-Nr.;Datum;Stunden;Stundensatz;Betrag;Abrechenbar',
      ...rows(
        15,
        (i) =>
          `${9000 + i};${500 + (i % 12)};0${1 + (i % 9)}.04.2024;1,5;250,00;375,00;${['ja', 'nein'][i % 2]}`,
      ),
    ]),
  ],
  fr: [
    csv('contacts.csv', [
      'Identifiant;Prénom;Nom;Adresse e-mail;Téléphone',
      ...rows(8, (i) => `${1001 + i};P${i};N${i};p${i}@x.fr;01 23 45 67 8${i}`),
    ]),
    csv('affaires.csv', [
      'N° affaire;Intitulé;Client;Avocat;État;Date de clôture',
      ...rows(
        12,
        (i) =>
          `A${500 + i};X c/ Y ${i};${1001 + (i % 8)};JD;${['Ouvert', 'Clos'][i % 2]};0${1 + (i % 9)}/04/2024`,
      ),
    ]),
    csv('collaborateurs.csv', [
      'Initiales;Nom complet;Courriel;Actif',
      ...rows(4, (i) => `JD${i};Jean Dupont ${i};j${i}@cabinet.fr;${['oui', 'non'][i % 2]}`),
    ]),
    csv('taches.csv', [
      'N° tâche;N° affaire;Objet;Date d’échéance;Terminée;Assigné à',
      ...rows(
        15,
        (i) =>
          `${3000 + i};A${500 + (i % 12)};Conclusions ${i};1${i % 9}/05/2024;${['oui', 'non'][i % 2]};JD${i % 4}`,
      ),
    ]),
    csv('rendez-vous.csv', [
      'N° rdv;N° affaire;Objet;Date début;Date fin;Lieu',
      ...rows(
        15,
        (i) =>
          `${4000 + i};A${500 + (i % 12)};Audience ${i};1${i % 9}/06/2024 09:00;1${i % 9}/06/2024 10:00;TJ Paris`,
      ),
    ]),
    csv('documents.csv', [
      'N° document;N° affaire;Nom du fichier;Chemin;Déposé le',
      ...rows(
        15,
        (i) => `${6000 + i};A${500 + (i % 12)};Lettre${i}.pdf;docs/Lettre${i}.pdf;0${1 + (i % 9)}/04/2024`,
      ),
    ]),
  ],
};

describe('the other objects of a German and a French export', () => {
  it.each([
    ['de', 'Aktenbeteiligte.csv', 'claim_contact', { 'Mandanten-Nr.': 'deal.person_id' }],
    [
      'de',
      'Mitarbeiter.csv',
      'staff',
      { Kürzel: 'user.ref:staff', 'E-Mail': 'user.email', Aktiv: 'user.active_flag' },
    ],
    [
      'de',
      'Fristen.csv',
      'task',
      {
        'Akten-Nr.': 'activity.deal_id',
        Betreff: 'activity.subject',
        Fälligkeitsdatum: 'activity.due_date',
        Erledigt: 'activity.done',
      },
    ],
    [
      'de',
      'Termine.csv',
      'event',
      { 'Akten-Nr.': 'activity.deal_id', Ort: 'activity.location', Terminart: 'activity.type' },
    ],
    [
      'de',
      'Dokumente.csv',
      'document',
      { 'Akten-Nr.': 'file.deal_id', Dateiname: 'file.name', Dateipfad: 'file.file' },
    ],
    [
      'de',
      'Statusverlauf.csv',
      'status_history',
      { 'Akten-Nr.': 'deal.ref:claim', 'Status neu': 'note.content', 'Geändert am': 'note.add_time' },
    ],
    [
      'de',
      'Leistungen.csv',
      'billing_entry',
      { 'Akten-Nr.': 'deal.ref:claim', Stunden: 'deal.custom:Hours Billed' },
    ],
    [
      'fr',
      'collaborateurs.csv',
      'staff',
      { Initiales: 'user.ref:staff', 'Nom complet': 'user.name', Actif: 'user.active_flag' },
    ],
    [
      'fr',
      'affaires.csv',
      'claim',
      { Client: 'deal.person_id', État: 'deal.status', 'Date de clôture': 'deal.close_time' },
    ],
    [
      'fr',
      'taches.csv',
      'task',
      { 'N° affaire': 'activity.deal_id', 'Date d’échéance': 'activity.due_date', Terminée: 'activity.done' },
    ],
    ['fr', 'rendez-vous.csv', 'event', { 'Date début': 'activity.due_date', Lieu: 'activity.location' }],
    [
      'fr',
      'documents.csv',
      'document',
      { 'N° affaire': 'file.deal_id', 'Nom du fichier': 'file.name', Chemin: 'file.file' },
    ],
  ] as const)('%s %s is %s with its columns read', async (language, file, object, columns) => {
    const { decided, proposal } = await proposeExport(OTHER_OBJECTS[language]);
    expect(decided.get(file)?.object).toBe(object);
    expectColumns(proposal, file, columns);
  });
});
