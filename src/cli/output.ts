import { type Redactor, redactorFromEnv } from '../core/redact.ts';

/** Global flags every command takes. */
export interface GlobalOptions {
  readonly workspace: string;
  readonly json: boolean;
  readonly yes: boolean;
}

/**
 * Where a command's words go. With `--json`, stdout carries exactly one JSON document and human text is
 * suppressed; progress always goes to stderr. Everything passes the redactor.
 */
export class Output {
  readonly json: boolean;
  readonly redactor: Redactor;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };

  constructor(options: {
    json: boolean;
    stdout?: NodeJS.WritableStream;
    stderr?: NodeJS.WritableStream & { isTTY?: boolean };
    redactor?: Redactor;
  }) {
    this.json = options.json;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.redactor = options.redactor ?? redactorFromEnv();
  }

  get interactive(): boolean {
    return Boolean(this.stderr.isTTY) && !this.json;
  }

  /** Human-readable line on stdout (dropped under --json). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${this.redactor.text(text)}\n`);
  }

  /** The one JSON document of a --json run. */
  result(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(this.redactor.value(value), null, 2)}\n`);
  }

  /** Diagnostics and progress: stderr, so scripts reading stdout are not disturbed. */
  note(text: string): void {
    this.stderr.write(`${this.redactor.text(text)}\n`);
  }

  /** A progress line: redrawn in place on a TTY, printed plainly (and sparingly) otherwise. */
  progress(text: string): void {
    if (this.interactive) this.stderr.write(`\r\u001b[2K${this.redactor.text(text)}`);
    else this.stderr.write(`${this.redactor.text(text)}\n`);
  }

  endProgress(): void {
    if (this.interactive) this.stderr.write('\n');
  }
}
