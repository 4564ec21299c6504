// `ferry generate`: a realistic BackDocket export with seeded dirt and a manifest of what was injected.
export { type GenerateOptions, type GenerateResult, generateExport } from './generate-export.ts';
