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
  /** Absolute path of the export folder. */
  readonly sourceDir: string;
}

export function workspacePaths(dir: string) {
  const root = resolve(dir);
  return {
    dir: root,
    configPath: join(root, 'ferry.yaml'),
    mappingPath: join(root, 'mapping.yaml'),
    stateDir: join(root, '.ferry'),
    storePath: join(root, '.ferry', 'ferry.db'),
  };
}

/** Creates `ferry.yaml` and `.ferry/` (keeps an existing config unless the source changes). */
export function initWorkspace(options: { dir: string; source: string }): Workspace {
  const paths = workspacePaths(options.dir);
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
  return { ...paths, config: result.config, sourceDir: resolve(paths.dir, result.config.source) };
}

export function openWorkspaceStore(workspace: Pick<Workspace, 'storePath'>): SqliteStore {
  return SqliteStore.open({ path: workspace.storePath });
}
