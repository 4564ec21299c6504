import { readFileSync, writeFileSync } from 'node:fs';
import { parseMappingFile, renderMappingFile } from '../../src/mapping/index.ts';

/**
 * Gives staff without a Pipedrive user a fallback owner in mapping.yaml, as a person would before
 * confirming (the proposal holds their records by default). Used by tests and benchmarks alike.
 */
export function setFallbackOwner(mappingPath: string, email: string): void {
  const mapping = parseMappingFile(readFileSync(mappingPath, 'utf8')).mapping;
  if (!mapping) throw new Error(`${mappingPath} did not parse`);
  writeFileSync(
    mappingPath,
    renderMappingFile({
      ...mapping,
      owners: { ...mapping.owners, fallbackOwnerEmail: email, unresolved: 'fallback' },
    }),
  );
}
