import { FerryError } from '../core/errors.ts';

/** `--concurrency N`: a positive whole number, or undefined for the default that follows the account. */
export function parseConcurrency(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new FerryError('config', `--concurrency takes a positive whole number, not '${text}'.`, {
      code: 'E_USAGE',
    });
  }
  return value;
}
