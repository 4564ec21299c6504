// The BackDocket MCP source: the library API of `ferry source`, `ferry extract` on a URL source and
// `ferry sim backdocket`.

export { CredentialStore, credentialsDir } from './credentials.ts';
export {
  DOCUMENTS_META,
  type DocumentAvailability,
  extractFromMcp,
  type McpExtractOptions,
  type McpExtractResult,
  type McpProgress,
} from './extract-mcp.ts';
export { assertSafeServerUrl, connectMcp, type McpAuth, type McpConnection } from './mcp-connection.ts';
export type { McpToolInfo, ReadPlan, TablePlan, ToolVerdict } from './model.ts';
export { DEFAULT_LOGIN_PORT, loginToServer, StoredOAuthProvider } from './oauth.ts';
export { type OpenedMcpSource, openMcpSource, resolveAuth } from './open-source.ts';
export { type FetchEvents, politeFetch } from './polite-fetch.ts';
export { assembleReadPlan, classifyTool } from './read-plan.ts';
export { flattenRecord } from './records-to-tables.ts';
export { parseSourceConfig, renderSourceConfigTemplate } from './source-config.ts';
