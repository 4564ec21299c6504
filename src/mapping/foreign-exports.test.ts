import { describe, expect, it } from 'vitest';
import { extractInMemory } from '../source/backdocket/index.ts';
import { decideObjects } from './decide-objects.ts';
import { proposeMapping } from './propose-mapping.ts';

/**
 * Exports written in German, French, Italian and Portuguese (a contacts file, a matters file referencing the
 * contacts, a notes file referencing the matters), read by the real extractor: objects, keys, column targets
 * and the references between the files must be found as they are for English exports.
 */

const csv = (name: string, lines: string[]) => ({ name, content: Buffer.from(`${lines.join('\r\n')}\r\n`) });
const rows = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i));

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

type Export = typeof GERMAN_EXPORT;

interface Expected {
  readonly contacts: string;
  readonly matters: string;
  readonly notes: string;
  /** Header → target in each file. */
  readonly columns: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly keys: Readonly<Record<string, string>>;
}

async function propose(files: Export) {
  const { files: extracted } = await extractInMemory(files);
  return { decided: decideObjects(extracted), proposal: proposeMapping(extracted) };
}

function checkExport(files: Export, expected: Expected) {
  return async () => {
    const { decided, proposal } = await propose(files);
    expect(decided.get(expected.contacts)?.object).toBe('contact');
    expect(decided.get(expected.matters)?.object).toBe('claim');
    expect(decided.get(expected.notes)?.object).toBe('note');
    for (const [file, key] of Object.entries(expected.keys)) {
      expect(proposal.objects.find((o) => o.file === file)?.keyColumn, file).toBe(key);
    }
    for (const [file, columns] of Object.entries(expected.columns)) {
      const fields = proposal.objects.find((o) => o.file === file)?.fields ?? [];
      for (const [column, target] of Object.entries(columns)) {
        expect(fields.find((f) => f.column === column)?.target, `${file}: ${column}`).toBe(target);
      }
    }
  };
}

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

  it('leaves a lone ambiguous word alone: Italian "Data" is not read as a date without other Italian', async () => {
    const { proposal } = await propose(ITALIAN_EXPORT);
    const data = proposal.objects.find((o) => o.file === 'Note.csv')?.fields.find((f) => f.column === 'Data');
    expect(data?.target ?? null).not.toBe('note.content');
  });
});
