import { DATA_QUALITY_PROBLEMS, type DataQualityCode } from '../problems.ts';
import type { Random } from './random.ts';
import * as V from './vocabulary.ts';

/** The generator's shared facts and value formats: days, the firm, the fixed staff, dates, money, phones, PDFs. */

export const DAY = 86_400_000;
export const EPOCH = Date.UTC(2019, 0, 1);
export const FIRM_DOMAIN = 'smithlawfirm.com';
/** Staff indexes with fixed jobs (the rest of the roster is random). */
export const STAFF = { caseManager: 3, paralegal: 4, intake: 5, tina: 6 } as const;

/** Counts in the order of DATA_QUALITY_PROBLEMS, so the manifest and the CLI table read the same. */
export function sortedCounts(
  counts: Partial<Record<DataQualityCode, number>>,
): Partial<Record<DataQualityCode, number>> {
  const sorted: Partial<Record<DataQualityCode, number>> = {};
  for (const { code } of DATA_QUALITY_PROBLEMS) if (counts[code]) sorted[code] = counts[code];
  return sorted;
}

/** murmur3's finaliser: spreads an index over 32 bits so neighbouring rows get unrelated streams. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function historyPath(status: string): string[] {
  if (status === 'Chase Call' || status === 'No Decision')
    return V.STATUS_PATH.slice(0, V.STATUS_PATH.indexOf(status) + 1);
  if (status === 'Referral Pending' || status === 'Referred' || status === 'Rejected')
    return ['Chase Call', status];
  if (status === 'Closed') return [...V.STATUS_PATH, 'Closed'];
  return V.STATUS_PATH.slice(0, V.STATUS_PATH.indexOf(status) + 1);
}

export function shortType(type: string): string {
  if (type === 'Medical Malpractice') return 'Med Mal:';
  if (type === "Workers' Comp") return 'WC:';
  if (type === 'Family Law') return 'Family:';
  return `${type}:`;
}

export function accent(name: string): string {
  return name
    .replace('Gonzalez', 'González')
    .replace('Munoz', 'Muñoz')
    .replace('Lopez', 'López')
    .replace('Martinez', 'Martínez');
}

export function usDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function excelSerial(ms: number): number {
  return Math.round(ms / DAY + 25569);
}

export function money(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function formatPhone(rng: Random, salt: number): string {
  const area = rng.pick(['713', '281', '832']);
  const line = String(1000 + ((salt * 7919 + rng.int(0, 8999)) % 9000)).padStart(4, '0');
  const style = rng.int(0, 3);
  return style === 0
    ? `(${area}) 555-${line}`
    : style === 1
      ? `${area}.555.${line}`
      : style === 2
        ? `${area}-555-${line}`
        : `+1 ${area} 555 ${line}`;
}

/** A minimal valid one-page PDF carrying `text`. */
export function tinyPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
