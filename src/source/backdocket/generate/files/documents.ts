import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExportContext } from '../export-context.ts';
import { DAY, STAFF, tinyPdf, usDate } from '../format.ts';
import * as V from '../vocabulary.ts';

/** documents.csv and files/: the document index and the documents themselves (some missing). */
export async function writeDocuments(ctx: ExportContext): Promise<void> {
  const header = [
    'Document ID',
    'Claim ID',
    'Contact ID',
    'Folder',
    'Category',
    'File Name',
    'Description',
    'File Size (bytes)',
    'MIME Type',
    'Pages',
    'Uploaded By',
    'Uploaded Date',
    'Source',
    'Generated From Template',
    'Storage Path',
    'SHA-256',
  ];
  const w = await ctx.open('documents.csv');
  const headerLine = await w.row(header, false);
  const count = Math.ceil(ctx.n * 1.5);
  for (let i = 0; i < count; i += 1) {
    const rng = ctx.rng('document', i);
    const facts = ctx.liveClaim(i);
    const folder = rng.pick(V.DOC_FOLDERS);
    const name = `${folder} ${i}.${rng.chance(0.7) ? 'pdf' : 'txt'}`;
    const storage = `files/${facts.id}/${folder}/${name}`;
    const content = name.endsWith('.pdf')
      ? tinyPdf(`BackDocket document ${i} for claim ${facts.id}`)
      : Buffer.from(`Document ${i}\r\nClaim ${facts.id}\r\n`);
    // ~3% broken: 0 missing on disk, 1 zero bytes, 2 a SHA-256 that does not match.
    const forced = count - 1 - i; // the last three rows show each kind once, whatever the seed
    const problem = count >= 50 && forced <= 2 ? forced : rng.int(0, 99);
    const key = String(40000 + i);
    let written = content;
    if (problem !== 0) {
      if (problem === 1) written = Buffer.alloc(0);
      const path = join(ctx.options.outDir, storage);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, written);
    }
    const sha = problem === 2 ? '0'.repeat(64) : createHash('sha256').update(written).digest('hex');
    const line = await w.row([
      key,
      facts.id,
      rng.chance(0.2) ? facts.client : '',
      folder,
      folder,
      name,
      `${folder} for ${facts.id}`,
      written.length,
      name.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
      1,
      ctx.staffMember(STAFF.caseManager).name,
      usDate(facts.opened + 20 * DAY),
      rng.pick(['Upload', 'Scan', 'Email']),
      '',
      storage,
      sha,
    ]);
    if (problem <= 2) {
      const detail = problem === 0 ? 'file missing' : problem === 1 ? 'zero bytes' : 'SHA-256 mismatch';
      ctx.inject({
        code: 'document_missing',
        file: w.file,
        line,
        sourceKey: key,
        column: 'Storage Path',
        detail,
      });
    }
  }
  await ctx.finish(w, headerLine);
}
