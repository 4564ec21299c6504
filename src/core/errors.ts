/**
 * How a broken run failed, which decides what the user must do next:
 * - `config`: fix the setup (token, workspace, mapping) and run again — exit 2
 * - `transient`: the network or Pipedrive hiccupped; running again resumes — exit 1
 * - `terminal`: this input can never succeed as it is — exit 1
 * - `internal`: a bug in Ferry — exit 1
 * - `blocked`: validation or an unconfirmed mapping stops the run — exit 3
 * - `verification`: read-back found differences — exit 4
 */
export const FAILURE_KINDS = [
  'config',
  'transient',
  'terminal',
  'internal',
  'blocked',
  'verification',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/**
 * The one exception class Ferry throws for a broken run. Per-record problems are `Issue` data instead.
 * @example throw new FerryError('config', 'PIPEDRIVE_API_TOKEN is not set. Export it and run again.')
 */
export class FerryError extends Error {
  override readonly name = 'FerryError';
  readonly failure: FailureKind;
  /** Machine-readable code, e.g. `E_WORKSPACE_MISSING`. */
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    failure: FailureKind,
    message: string,
    options: { code?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.failure = failure;
    this.code = options.code ?? `E_${failure.toUpperCase()}`;
    this.details = options.details;
  }
}

export function isFerryError(error: unknown): error is FerryError {
  return error instanceof FerryError;
}

const EXIT_CODES: Readonly<Record<FailureKind, number>> = {
  config: 2,
  transient: 1,
  terminal: 1,
  internal: 1,
  blocked: 3,
  verification: 4,
};

export function exitCodeFor(error: unknown): number {
  return isFerryError(error) ? EXIT_CODES[error.failure] : 1;
}
