import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  auth,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { FerryError } from '../../core/errors.ts';
import { rememberSecret } from '../../core/redact.ts';
import type { CredentialStore } from './credentials.ts';
import { describeFailure } from './mcp-connection.ts';

/** The loopback port `ferry source login` listens on for the redirect, unless `--port` says otherwise. */
export const DEFAULT_LOGIN_PORT = 33418;

/**
 * Ferry as an OAuth 2.1 public client of one MCP server (PKCE, dynamic client registration where the
 * server offers it, refresh), keeping what the SDK hands over in the credential store, outside the
 * workspace. In a command that must not stop to ask (extract), an authorization that needs a person
 * fails with what to run instead.
 */
export class StoredOAuthProvider implements OAuthClientProvider {
  private verifier: string | undefined;
  private expectedState: string | undefined;

  constructor(
    private readonly options: {
      readonly server: string;
      readonly store: CredentialStore;
      /** Where the browser comes back to (`ferry source login`); absent: the one registered before. */
      readonly redirectUrl?: string | undefined;
      /** Called with the authorization URL to show to the person; absent: sign-in is not possible now. */
      readonly onAuthorizationUrl?: ((url: URL) => void) | undefined;
      /** A client id registered by hand with the firm's authorization server (no dynamic registration). */
      readonly clientId?: string | undefined;
    },
  ) {
    const tokens = this.options.store.get(this.options.server)?.tokens;
    for (const key of ['access_token', 'refresh_token']) rememberSecret(tokens?.[key] as string | undefined);
  }

  get redirectUrl(): string | undefined {
    if (this.options.redirectUrl) return this.options.redirectUrl;
    const client = this.options.store.get(this.options.server)?.client as
      | { redirect_uris?: string[] }
      | undefined;
    return client?.redirect_uris?.[0] ?? `http://127.0.0.1:${DEFAULT_LOGIN_PORT}/callback`;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Ferry (BackDocket to Pipedrive migration)',
      redirect_uris: [this.redirectUrl ?? `http://127.0.0.1:${DEFAULT_LOGIN_PORT}/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('hex');
    return this.expectedState;
  }

  /** The state sent with the authorization request, to check the redirect against. */
  get stateSent(): string | undefined {
    return this.expectedState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    if (this.options.clientId) return { client_id: this.options.clientId };
    const client = this.options.store.get(this.options.server)?.client as
      | OAuthClientInformationMixed
      | undefined;
    // A client registered for another redirect (another --port) cannot come back here: register anew.
    const uris = (client as { redirect_uris?: string[] } | undefined)?.redirect_uris;
    if (client && this.options.redirectUrl && uris && !uris.includes(this.options.redirectUrl))
      return undefined;
    return client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.options.store.update(this.options.server, (current) => ({
      ...current,
      client: client as unknown as Record<string, unknown>,
    }));
  }

  tokens(): OAuthTokens | undefined {
    return this.options.store.get(this.options.server)?.tokens as OAuthTokens | undefined;
  }

  saveTokens(tokens: OAuthTokens): void {
    rememberSecret(tokens.access_token);
    rememberSecret(tokens.refresh_token);
    this.options.store.update(this.options.server, (current) => ({
      ...current,
      tokens: { ...tokens, obtained_at: new Date().toISOString() } as unknown as Record<string, unknown>,
    }));
  }

  redirectToAuthorization(url: URL): void {
    if (!this.options.onAuthorizationUrl) {
      throw new FerryError(
        'config',
        `${this.options.server} needs you to sign in (no valid token is stored). Run \`ferry source login\`, or set BACKDOCKET_TOKEN.`,
        { code: 'E_MCP_LOGIN_NEEDED' },
      );
    }
    this.options.onAuthorizationUrl(url);
  }

  saveCodeVerifier(verifier: string): void {
    // The PKCE verifier lives in memory for the one sign-in it belongs to; it is never written down.
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new FerryError('internal', 'No PKCE verifier for this sign-in.');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.options.store.update(this.options.server, (current) => ({
      ...current,
      discovery: state as unknown as Record<string, unknown>,
    }));
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.options.store.get(this.options.server)?.discovery as OAuthDiscoveryState | undefined;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'verifier') {
      this.verifier = undefined;
      return;
    }
    this.options.store.update(this.options.server, (current) => ({
      ...current,
      ...(scope === 'all' || scope === 'client' ? { client: undefined } : {}),
      ...(scope === 'all' || scope === 'tokens' ? { tokens: undefined } : {}),
      ...(scope === 'all' || scope === 'discovery' ? { discovery: undefined } : {}),
    }));
  }
}

export interface LoginResult {
  readonly server: string;
  /** 'signed-in': a new authorization; 'refreshed': stored tokens were renewed, no browser needed. */
  readonly outcome: 'signed-in' | 'refreshed';
  readonly credentialsPath: string;
  readonly registeredClient: boolean;
}

/**
 * `ferry source login`: discovers the server's authorization server (RFC 9728 protected resource
 * metadata, then its metadata), registers Ferry as a client where the server allows it, sends the person
 * to the authorization URL with a PKCE challenge and a state, takes the code at a loopback redirect on
 * 127.0.0.1, and exchanges it for tokens kept in the credential store.
 * @example await loginToServer({ server, store, fetch, onAuthorizationUrl: (url) => console.log(url.href) })
 */
export async function loginToServer(input: {
  server: string;
  store: CredentialStore;
  fetch: typeof fetch;
  port?: number | undefined;
  clientId?: string | undefined;
  onAuthorizationUrl: (url: URL) => void;
  /** How long to wait for the browser to come back (default 5 minutes). */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}): Promise<LoginResult> {
  const loopback = await startLoopback(input.port ?? DEFAULT_LOGIN_PORT);
  try {
    const registeredBefore = Boolean(input.store.get(input.server)?.client);
    const provider = new StoredOAuthProvider({
      server: input.server,
      store: input.store,
      redirectUrl: loopback.redirectUrl,
      onAuthorizationUrl: input.onAuthorizationUrl,
      clientId: input.clientId,
    });
    // A fresh sign-in: stored tokens are not reused (a person asked to sign in, perhaps as someone else).
    provider.invalidateCredentials('tokens');
    let result: 'AUTHORIZED' | 'REDIRECT';
    try {
      result = await auth(provider, { serverUrl: input.server, fetchFn: input.fetch });
    } catch (error) {
      throw describeLoginFailure(error, input.server);
    }
    if (result === 'AUTHORIZED') {
      return {
        server: input.server,
        outcome: 'refreshed',
        credentialsPath: input.store.path,
        registeredClient: false,
      };
    }
    const { code, state } = await loopback.waitForCode(input.timeoutMs ?? 5 * 60_000, input.signal);
    if (state !== provider.stateSent) {
      throw new FerryError(
        'config',
        `The sign-in came back with a state that Ferry did not send: it was not the sign-in Ferry started. Run \`ferry source login\` again.`,
        {
          code: 'E_MCP_LOGIN_STATE',
        },
      );
    }
    try {
      await auth(provider, { serverUrl: input.server, authorizationCode: code, fetchFn: input.fetch });
    } catch (error) {
      throw describeLoginFailure(error, input.server);
    }
    return {
      server: input.server,
      outcome: 'signed-in',
      credentialsPath: input.store.path,
      registeredClient: !registeredBefore && !input.clientId,
    };
  } finally {
    await loopback.close();
  }
}

function describeLoginFailure(error: unknown, server: string): FerryError {
  if (error instanceof FerryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/dynamic client registration|registration_endpoint|does not support/i.test(message)) {
    return new FerryError(
      'config',
      `${server}'s authorization server does not let Ferry register itself (no dynamic client registration). Ask the firm's BackDocket administrator for a client id for Ferry with redirect URI http://127.0.0.1:${DEFAULT_LOGIN_PORT}/callback, then run \`ferry source login --client-id ID\`.`,
      { code: 'E_MCP_NO_REGISTRATION', cause: error },
    );
  }
  if (/metadata|discover|well-known|protected resource/i.test(message)) {
    return new FerryError(
      'config',
      `Ferry could not discover how to sign in to ${server} (${message}). If the server takes a token instead, set BACKDOCKET_TOKEN.`,
      {
        code: 'E_MCP_DISCOVERY',
        cause: error,
      },
    );
  }
  return describeFailure(error, { server, what: 'signing in' });
}

interface Loopback {
  readonly redirectUrl: string;
  waitForCode(timeoutMs: number, signal?: AbortSignal): Promise<{ code: string; state: string | null }>;
  close(): Promise<void>;
}

/** The redirect target of the sign-in: a one-page server on 127.0.0.1 that takes the code once. */
async function startLoopback(port: number): Promise<Loopback> {
  let deliver: ((value: { code: string; state: string | null }) => void) | undefined;
  let refuse: ((error: Error) => void) | undefined;
  const arrived = new Promise<{ code: string; state: string | null }>((resolve, reject) => {
    deliver = resolve;
    refuse = reject;
  });
  arrived.catch(() => undefined);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get('code');
    const error = url.searchParams.get('error');
    res.writeHead(code ? 200 : 400, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(
      code
        ? '<!doctype html><title>Ferry</title><p>Ferry is signed in. You can close this tab and go back to the terminal.</p>'
        : '<!doctype html><title>Ferry</title><p>The sign-in did not complete. Go back to the terminal.</p>',
    );
    if (code) deliver?.({ code, state: url.searchParams.get('state') });
    else
      refuse?.(
        new FerryError(
          'config',
          `The sign-in was refused by the server (${error ?? 'no code'}: ${url.searchParams.get('error_description') ?? 'no description'}).`,
          { code: 'E_MCP_LOGIN_REFUSED' },
        ),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new FerryError(
              'config',
              `Port ${port} on 127.0.0.1 is in use; pick another for the sign-in redirect with --port.`,
              { code: 'E_PORT_IN_USE' },
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    redirectUrl: `http://127.0.0.1:${actual}/callback`,
    waitForCode: (timeoutMs, signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new FerryError(
                'config',
                `No sign-in came back within ${Math.round(timeoutMs / 1000)} s. Run \`ferry source login\` again.`,
                { code: 'E_MCP_LOGIN_TIMEOUT' },
              ),
            ),
          timeoutMs,
        );
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        arrived.then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
