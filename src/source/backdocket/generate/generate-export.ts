import { ExportContext, type GenerateOptions, type GenerateResult } from './export-context.ts';

export type { GenerateOptions, GenerateResult } from './export-context.ts';

/**
 * Writes a realistic BackDocket export — the whole export set of backdocket-exports.md §5 with small real
 * files — and seeds every data-quality problem of §6 at a realistic rate, listing each injection in
 * `generated-manifest.json`. Deterministic for a seed; streams every file, so memory stays flat at any size.
 */
export async function generateExport(options: GenerateOptions): Promise<GenerateResult> {
  return new ExportContext(options).run();
}
