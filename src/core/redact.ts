/** Secrets learnt while running (OAuth tokens read or received), removed by every redactor. */
const runtimeSecrets = new Set<string>();

/**
 * Removes secrets from anything on its way to a log, the store, a report or an error message.
 * Knows the token values it was given and the places tokens travel (headers, `api_token=` queries).
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: readonly (string | undefined)[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): void {
    // Very short strings would blank out ordinary text; real tokens are 40 hex characters.
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  text(value: string): string {
    let out = value
      .replace(/([?&](?:api_token|access_token|token)=)[^&#\s"']*/gi, '$1[REDACTED]')
      .replace(
        /((?:x-api-token|authorization)["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"',}]+/gi,
        '$1[REDACTED]',
      );
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED]');
    // Tokens learnt after this redactor was made (an OAuth sign-in or refresh) are removed too.
    for (const secret of runtimeSecrets) out = out.split(secret).join('[REDACTED]');
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = /^(x-api-token|authorization|cookie)$/i.test(name) ? '[REDACTED]' : this.text(value);
    }
    return out;
  }

  /** Deep-copies JSON-like data with every string redacted. */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.value(item)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = /^(x-api-token|authorization|api_token|token)$/i.test(key)
          ? '[REDACTED]'
          : this.value(item);
      }
      return out as T;
    }
    return value;
  }
}

/** Adds a secret every later redactor removes (an OAuth access or refresh token). */
export function rememberSecret(secret: string | undefined): void {
  if (secret && secret.length >= 8) runtimeSecrets.add(secret);
}

/** Redactor for the tokens in the environment and those learnt at run time, the default for the CLI. */
export function redactorFromEnv(env: NodeJS.ProcessEnv = process.env): Redactor {
  return new Redactor([env.PIPEDRIVE_API_TOKEN, env.BACKDOCKET_TOKEN]);
}
