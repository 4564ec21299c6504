import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { FerryError } from '../../core/errors.ts';

/** What Ferry keeps about one MCP server after `ferry source login` (as the SDK hands it over). */
export interface ServerCredentials {
  /** The OAuth client Ferry registered (or was given) at the server's authorization server. */
  readonly client?: Record<string, unknown> | undefined;
  readonly tokens?: Record<string, unknown> | undefined;
  /** Authorization server metadata found by discovery, so a refresh need not discover again. */
  readonly discovery?: Record<string, unknown> | undefined;
  readonly savedAt?: string | undefined;
}

interface CredentialFile {
  readonly version: 1;
  readonly servers: Record<string, ServerCredentials>;
}

/**
 * Ferry's credentials for MCP servers: one JSON file outside every workspace, readable by its owner only
 * (`credentials.json`, mode 0600, in a 0700 folder under the user's config folder: `$FERRY_CONFIG_DIR`,
 * else `$XDG_CONFIG_HOME/ferry`, else `~/.config/ferry`; `%APPDATA%\ferry` on Windows). No OS keychain
 * is used. Written through a temporary file and a rename, so a crash never leaves half a file.
 */
export class CredentialStore {
  readonly dir: string;
  readonly path: string;

  constructor(options: { dir?: string | undefined; env?: NodeJS.ProcessEnv } = {}) {
    this.dir = resolve(options.dir ?? credentialsDir(options.env ?? process.env));
    this.path = join(this.dir, 'credentials.json');
  }

  /** Refuses a credentials folder inside the workspace: tokens never enter it. */
  assertOutside(workspaceDir: string): void {
    const inside = relative(resolve(workspaceDir), this.dir);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
      throw new FerryError(
        'config',
        `The credentials folder ${this.dir} is inside the workspace ${workspaceDir}; tokens must never be stored in a workspace. Point FERRY_CONFIG_DIR elsewhere.`,
        { code: 'E_CREDENTIALS_IN_WORKSPACE' },
      );
    }
  }

  get(server: string): ServerCredentials | undefined {
    return this.read().servers[serverKey(server)];
  }

  update(server: string, change: (current: ServerCredentials) => ServerCredentials): void {
    const file = this.read();
    const key = serverKey(server);
    const next = { ...change(file.servers[key] ?? {}), savedAt: new Date().toISOString() };
    this.write({ version: 1, servers: { ...file.servers, [key]: next } });
  }

  remove(server: string): boolean {
    const file = this.read();
    const key = serverKey(server);
    if (!(key in file.servers)) return false;
    const servers = { ...file.servers };
    delete servers[key];
    this.write({ version: 1, servers });
    return true;
  }

  private read(): CredentialFile {
    if (!existsSync(this.path)) return { version: 1, servers: {} };
    // Loosened permissions (a copy, a backup tool) are put back to owner-only before use.
    if (process.platform !== 'win32' && (statSync(this.path).mode & 0o077) !== 0) chmodSync(this.path, 0o600);
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as CredentialFile;
      return parsed && typeof parsed.servers === 'object' ? parsed : { version: 1, servers: {} };
    } catch {
      throw new FerryError(
        'config',
        `${this.path} is not valid JSON. Delete it and run \`ferry source login\` again.`,
        {
          code: 'E_CREDENTIALS_INVALID',
        },
      );
    }
  }

  private write(file: CredentialFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
    if (process.platform !== 'win32') chmodSync(this.path, 0o600);
  }
}

/** The user's config folder for Ferry. */
export function credentialsDir(env: NodeJS.ProcessEnv): string {
  if (env.FERRY_CONFIG_DIR) return env.FERRY_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'ferry');
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'ferry');
  return join(homedir(), '.config', 'ferry');
}

/** One key per server: its URL without a trailing slash. */
function serverKey(server: string): string {
  return server.trim().replace(/\/+$/, '');
}
