import { Worker } from 'node:worker_threads';
import { FerryError } from '../../core/errors.ts';
import type { DocumentLookup, DocumentRequest, DocumentState } from './quality/index.ts';

/** Documents are hashed in reads of this size (bounded memory, whatever their size). */
const READ_CHUNK = 1024 * 1024;
/** Resolved folders remembered by the thread. */
const FOLDERS_CACHED = 10_000;

// The thread that answers look-ups: paths confined to the export folder (symlinks resolved), sizes and
// SHA-256s. Plain CommonJS so it runs without the TypeScript loader. The file system calls are
// synchronous on purpose: an export holds tens of thousands of small files, and a promise round-trip
// through the thread pool per realpath/stat/read cost several times the work itself. Folders are
// resolved once each (documents share them); a document itself is resolved only when it is a link.
const LOOKUP_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { closeSync, lstatSync, openSync, readSync, realpathSync, statSync } = require('node:fs');
const { basename, dirname, join, sep } = require('node:path');
const { createHash } = require('node:crypto');
const root = realpathSync(workerData.root);
const folders = new Map();
const realFolder = (folder) => {
  let real = folders.get(folder);
  if (real === undefined) {
    // Bounded: documents are listed folder by folder, so a small cache hits as well as a full one.
    if (folders.size >= ${FOLDERS_CACHED}) folders.clear();
    try {
      real = realpathSync.native(folder);
    } catch {
      real = null;
    }
    folders.set(folder, real);
  }
  return real;
};
// The real path of a document, null when it does not exist, OUTSIDE when a link leads out of the export.
const OUTSIDE = Symbol('outside');
const within = (real) => real === root || real.startsWith(root + sep);
const inside = (relative) => {
  const path = join(root, relative);
  const folder = realFolder(dirname(path));
  if (folder === null) return null;
  if (!within(folder)) return OUTSIDE;
  let real = join(folder, basename(path));
  try {
    if (lstatSync(real).isSymbolicLink()) real = realpathSync.native(real);
  } catch {
    return null;
  }
  return within(real) ? real : OUTSIDE;
};
const sizeOf = (path) => {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat && stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
};
// One buffer for every read: a fresh one per document is memory outside the heap that the garbage
// collector is slow to hand back.
const scratch = Buffer.alloc(${READ_CHUNK});
const sha256Of = (path) => {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let position = 0; ; ) {
      const n = readSync(fd, scratch, 0, scratch.length, position);
      if (n === 0) break;
      hash.update(scratch.subarray(0, n));
      position += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
};
// Answers per document: 0 ok, 1 missing, 2 empty, 3 does not match its SHA-256, 4 a link out of the export.
parentPort.on('message', ({ id, relatives, expected }) => {
  const states = new Uint8Array(relatives.length);
  for (let i = 0; i < relatives.length; i += 1) {
    const path = inside(relatives[i]);
    if (path === OUTSIDE) {
      states[i] = 4;
      continue;
    }
    const size = path === null ? null : sizeOf(path);
    if (size === null) states[i] = 1;
    else if (size === 0) states[i] = 2;
    else if (expected[i] !== null) {
      let sum = '';
      try {
        sum = sha256Of(path);
      } catch {
        // Listed but unreadable: it cannot match its SHA-256, which is what the check reports.
      }
      if (sum !== expected[i]) states[i] = 3;
    }
  }
  parentPort.postMessage({ id, states }, [states.buffer]);
});
`;

interface Answer {
  readonly id: number;
  readonly states: Uint8Array;
}

/** The thread's answer codes, by value. */
const STATES: readonly DocumentState[] = ['ok', 'missing', 'empty', 'mismatch', 'outside'];

/**
 * The documents of an export folder on disk, read and hashed on a thread of their own so the extraction
 * goes on meanwhile. `close()` ends the thread.
 * @example const files = new DocumentFiles('./export'); await files.inspect([{ relative: 'files/a.pdf', sha256: null }]) // ['ok']
 */
export class DocumentFiles implements DocumentLookup {
  private worker: Worker | undefined;
  private lastId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (states: DocumentState[]) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly sourceDir: string) {}

  inspect(requests: readonly DocumentRequest[]): Promise<DocumentState[]> {
    if (requests.length === 0) return Promise.resolve([]);
    const worker = this.start();
    this.lastId += 1;
    const id = this.lastId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({
        id,
        relatives: requests.map((r) => r.relative),
        expected: requests.map((r) => r.sha256),
      });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(LOOKUP_SOURCE, {
      eval: true,
      workerData: { root: this.sourceDir },
      // The thread keeps little (one read buffer outside the heap, the folder cache, the batch it answers):
      // a small heap makes it collect its garbage early instead of adding it to the peak RSS.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 24 },
    });
    worker.on('message', ({ id, states }: Answer) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      waiter?.resolve(Array.from(states, (code) => STATES[code] ?? 'mismatch'));
    });
    const fail = (why: string) => {
      for (const { reject } of this.waiting.values())
        reject(
          new FerryError('internal', `Checking the export's documents failed: ${why}`, {
            code: 'E_DOCUMENT_CHECK',
          }),
        );
      this.waiting.clear();
      this.worker = undefined;
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => {
      if (this.waiting.size > 0) fail(`the document thread stopped (exit code ${code})`);
    });
    this.worker = worker;
    return worker;
  }
}
