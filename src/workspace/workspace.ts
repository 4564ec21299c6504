import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type FerryConfig, parseFerryConfig, renderDefaultConfig } from '../config/ferry-config.ts';
import { FerryError } from '../core/errors.ts';
import { formatIssueLocation } from '../core/issues.ts';
import { SqliteStore } from '../store/sqlite-store.ts';

/** A workspace is a folder holding `ferry.yaml`, `mapping.yaml` and the `.ferry/` store. */
export interface Workspace {
  readonly dir: string;
  readonly config: FerryConfig;
  readonly configPath: string;
  readonly mappingPath: string;
  readonly stateDir: string;
  readonly storePath: string;
  /**
   * Absolute path of the export folder; for an MCP source, the workspace folder its documents are
   * downloaded to (`.ferry/source-files`), where the migration finds them as in an export folder.
   */
  readonly sourceDir: string;
  /** The MCP server URL when the source is a BackDocket MCP server, else undefined. */
  readonly sourceUrl: string | undefined;
}

/** Whether a `source` (ferry.yaml, --source) names an MCP server rather than an export folder. */
export function isSourceUrl(source: string): boolean {
  return /^https?:\/\//i.test(source.trim());
}

export function workspacePaths(dir: string) {
  const root = resolve(dir);
  return {
    dir: root,
    configPath: join(root, 'ferry.yaml'),
    mappingPath: join(root, 'mapping.yaml'),
    stateDir: join(root, '.ferry'),
    storePath: join(root, '.ferry', 'ferry.db'),
    /** Where an MCP source's documents are downloaded. */
    sourceFilesDir: join(root, '.ferry', 'source-files'),
  };
}

/**
 * Creates `ferry.yaml` and `.ferry/` for an export folder, or for a BackDocket MCP server URL (checked
 * here: https, or http to this machine; no credentials in it).
 */
export function initWorkspace(options: {
  dir: string;
  source: string;
  checkUrl?: (url: string) => void;
}): Workspace {
  const paths = workspacePaths(options.dir);
  if (isSourceUrl(options.source)) {
    options.checkUrl?.(options.source.trim());
    mkdirSync(paths.stateDir, { recursive: true });
    writeFileSync(paths.configPath, renderDefaultConfig(options.source.trim(), 'mcp'));
    SqliteStore.open({ path: paths.storePath }).close();
    return loadWorkspace(paths.dir);
  }
  const sourceAbs = resolve(options.source);
  if (!existsSync(sourceAbs) || !statSync(sourceAbs).isDirectory()) {
    throw new FerryError('config', `The export folder ${options.source} does not exist or is not a folder.`, {
      code: 'E_SOURCE_MISSING',
    });
  }
  mkdirSync(paths.stateDir, { recursive: true });
  const sourceRel = relative(paths.dir, sourceAbs) || '.';
  writeFileSync(paths.configPath, renderDefaultConfig(sourceRel.startsWith('..') ? sourceAbs : sourceRel));
  SqliteStore.open({ path: paths.storePath }).close();
  return loadWorkspace(paths.dir);
}

/** Reads `ferry.yaml`; a missing or invalid file is a config error that says how to fix it. */
export function loadWorkspace(dir: string): Workspace {
  const paths = workspacePaths(dir);
  if (!existsSync(paths.configPath)) {
    throw new FerryError(
      'config',
      `No Ferry workspace in ${paths.dir} (ferry.yaml not found). Run \`ferry init --source EXPORT_DIR\` first, or pass --workspace.`,
      { code: 'E_WORKSPACE_MISSING' },
    );
  }
  const result = parseFerryConfig(readFileSync(paths.configPath, 'utf8'), paths.configPath);
  if (!result.config) {
    const lines = result.errors.map((issue) => `  ${formatIssueLocation(issue)}: ${issue.message}`);
    throw new FerryError('config', `ferry.yaml is not valid:\n${lines.join('\n')}`, {
      code: 'E_CONFIG_INVALID',
    });
  }
  const source = result.config.source;
  if (isSourceUrl(source))
    return { ...paths, config: result.config, sourceDir: paths.sourceFilesDir, sourceUrl: source.trim() };
  return { ...paths, config: result.config, sourceDir: resolve(paths.dir, source), sourceUrl: undefined };
}

export function openWorkspaceStore(workspace: Pick<Workspace, 'storePath'>): SqliteStore {
  return SqliteStore.open({ path: workspace.storePath });
}
