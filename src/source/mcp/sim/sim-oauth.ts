import { randomBytes } from 'node:crypto';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import {
  InvalidGrantError,
  InvalidRequestError,
  InvalidTokenError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type {
  AuthorizationParams,
  OAuthServerProvider,
} from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * The authorization server of `ferry sim backdocket --auth oauth`: dynamic client registration,
 * authorization codes bound to a PKCE challenge (the SDK's token handler verifies the verifier against
 * it), access tokens that expire, and refresh tokens that rotate. A rehearsal server: the authorization
 * request is approved at once, with no login page.
 */
export class SimOAuthProvider implements OAuthServerProvider {
  readonly clientsStore: OAuthRegisteredClientsStore;
  private readonly clients = new Map<string, OAuthClientInformationFull>();
  private readonly codes = new Map<string, { clientId: string; params: AuthorizationParams }>();
  private readonly accessTokens = new Map<
    string,
    { clientId: string; expiresAt: number; resource?: URL | undefined }
  >();
  private readonly refreshTokens = new Map<string, { clientId: string; resource?: URL | undefined }>();
  /** Counters a test reads: registrations, authorizations, token grants by kind. */
  readonly counts = { registered: 0, authorized: 0, codeGrants: 0, refreshGrants: 0 };

  constructor(private readonly options: { accessTokenTtlSeconds: number; now?: () => number }) {
    this.clientsStore = {
      getClient: (clientId) => this.clients.get(clientId),
      registerClient: (client) => {
        const full = {
          ...client,
          client_id: `client-${token(8)}`,
          client_id_issued_at: Math.floor(this.now() / 1000),
        };
        this.clients.set(full.client_id, full);
        this.counts.registered += 1;
        return full;
      },
    };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async authorize(
    client: OAuthClientInformationFull,
    params: AuthorizationParams,
    res: { redirect(url: string): void },
  ): Promise<void> {
    if (!client.redirect_uris.includes(params.redirectUri))
      throw new InvalidRequestError('Unregistered redirect_uri');
    const redirect = new URL(params.redirectUri);
    if (
      redirect.hostname !== '127.0.0.1' &&
      redirect.hostname !== 'localhost' &&
      redirect.hostname !== '[::1]'
    )
      throw new InvalidRequestError('a rehearsal server redirects only to a loopback address');
    const code = token(16);
    this.codes.set(code, { clientId: client.client_id, params });
    this.counts.authorized += 1;
    redirect.searchParams.set('code', code);
    if (params.state !== undefined) redirect.searchParams.set('state', params.state);
    res.redirect(redirect.toString());
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<string> {
    const grant = this.codes.get(code);
    if (!grant || grant.clientId !== client.client_id)
      throw new InvalidGrantError('unknown authorization code');
    return grant.params.codeChallenge;
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    code: string,
    _verifier?: string,
    redirectUri?: string,
  ): Promise<OAuthTokens> {
    const grant = this.codes.get(code);
    if (!grant || grant.clientId !== client.client_id)
      throw new InvalidGrantError('unknown authorization code');
    if (redirectUri !== undefined && redirectUri !== grant.params.redirectUri)
      throw new InvalidGrantError('redirect_uri differs from the authorization request');
    this.codes.delete(code);
    this.counts.codeGrants += 1;
    return this.issue(client.client_id, grant.params.resource);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError('unknown refresh token');
    this.refreshTokens.delete(refreshToken);
    this.counts.refreshGrants += 1;
    return this.issue(client.client_id, grant.resource);
  }

  async verifyAccessToken(accessToken: string): Promise<AuthInfo> {
    const grant = this.accessTokens.get(accessToken);
    if (!grant) throw new InvalidTokenError('unknown access token');
    // Checked on the server's own clock, which a test can move forward to expire a token.
    if (grant.expiresAt <= this.now()) throw new InvalidTokenError('Token has expired');
    return {
      token: accessToken,
      clientId: grant.clientId,
      scopes: [],
      expiresAt: Math.floor(grant.expiresAt / 1000),
      ...(grant.resource ? { resource: grant.resource } : {}),
    };
  }

  /** Every token issued so far (a test checks none of them reached the workspace). */
  issuedTokens(): string[] {
    return [...this.accessTokens.keys(), ...this.refreshTokens.keys()];
  }

  private issue(clientId: string, resource: URL | undefined): OAuthTokens {
    const access = `bd_at_${token(24)}`;
    const refresh = `bd_rt_${token(24)}`;
    const ttl = this.options.accessTokenTtlSeconds;
    this.accessTokens.set(access, { clientId, expiresAt: this.now() + ttl * 1000, resource });
    this.refreshTokens.set(refresh, { clientId, resource });
    return { access_token: access, token_type: 'bearer', expires_in: ttl, refresh_token: refresh };
  }
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
