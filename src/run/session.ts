import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { FerryError } from '../core/errors.ts';
import { formatIssueLocation } from '../core/issues.ts';
import { parseMappingFile } from '../mapping/mapping-file.ts';
import { assertMappingConfirmed, mappingHash } from '../mapping/mapping-lock.ts';
import type { Mapping } from '../mapping/mapping-schema.ts';
import { sqliteMappingStore } from '../mapping/sqlite-mapping-store.ts';
import type { PipedriveRequester, PipedriveUser } from '../pipedrive/api-types.ts';
import type { PlannerOptions } from '../plan/record-planner.ts';
import { assembleReferenceIndex, type ReferenceIndex } from '../plan/reference-index.ts';
import { type AccountSnapshot, assembleSchemaPlan, withPlannedSchema } from '../plan/schema-plan.ts';
import { IDENTITY_FIELD, type TargetSchema } from '../plan/target-schema.ts';
import { iterateRows, loadInventory } from '../source/backdocket/index.ts';
import { loadUnavailableDocuments } from '../source/mcp/unavailable-documents.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';
import { type ContactMerges, readContactMerges } from '../validate/duplicates.ts';
import { OwnerResolver, readStaff } from '../validate/owner-resolver.ts';
import type { AccountUser, StaffMember } from '../validate/ownership.ts';
import { loadWorkspace, openWorkspaceStore, type Workspace } from '../workspace/workspace.ts';
import { readAccountSnapshot, targetSchemaOf } from './account-schema.ts';
import { Journal } from './journal.ts';
import type { IdentityFieldKeys } from './pipedrive-destination.ts';

/** An open workspace: settings, store and journal. Close it when done. */
export interface WorkspaceSession {
  readonly workspace: Workspace;
  readonly store: SqliteStore;
  readonly journal: Journal;
  /** Runs `action` when the session closes (before the store closes), e.g. to save usage counters. */
  onClose(action: () => void): void;
  close(): void;
}

export function openSession(dir: string): WorkspaceSession {
  const workspace = loadWorkspace(dir);
  const store = openWorkspaceStore(workspace);
  const closing: (() => void)[] = [];
  return {
    workspace,
    store,
    journal: new Journal(store),
    onClose: (action) => closing.push(action),
    close: () => {
      for (const action of closing.splice(0)) action();
      store.close();
    },
  };
}

/** Reads and parses mapping.yaml; with `confirmed`, refuses an unconfirmed or changed mapping (exit 3). */
export function loadMapping(
  session: WorkspaceSession,
  options: { confirmed: boolean },
): { mapping: Mapping; hash: string } {
  const { workspace, store } = session;
  if (options.confirmed) assertMappingConfirmed(workspace, sqliteMappingStore(store));
  if (!existsSync(workspace.mappingPath)) {
    throw new FerryError(
      'blocked',
      'No mapping.yaml yet. Run `ferry map propose`, review it, then `ferry map confirm`.',
      {
        code: 'E_MAPPING_MISSING',
      },
    );
  }
  const text = readFileSync(workspace.mappingPath, 'utf8');
  const parsed = parseMappingFile(text, workspace.mappingPath);
  if (!parsed.mapping) {
    const lines = parsed.errors.map((issue) => `  ${formatIssueLocation(issue)}: ${issue.message}`);
    throw new FerryError('config', `mapping.yaml is not valid:\n${lines.join('\n')}`, {
      code: 'E_MAPPING_INVALID',
    });
  }
  return { mapping: parsed.mapping, hash: mappingHash(text) };
}

/** Everything the planner needs from the account and the export, resolved once. */
export interface PlanningInputs {
  readonly snapshot: AccountSnapshot;
  readonly schema: TargetSchema;
  readonly users: readonly AccountUser[];
  readonly staff: readonly StaffMember[];
  readonly owners: OwnerResolver;
  readonly identityKeys: IdentityFieldKeys;
  readonly plannerOptions: Omit<PlannerOptions, 'mapping'>;
  /** Duplicate contacts found, and the merges a person accepted (only those happen). */
  readonly contactMerges: ContactMerges | undefined;
}

export async function readPlanningInputs(input: {
  session: WorkspaceSession;
  mapping: Mapping;
  client: PipedriveRequester;
  /** Plan against the account as it will be after `ferry schema apply` (validate, plan). */
  assumeSchemaApplied?: boolean;
  signal?: AbortSignal;
}): Promise<PlanningInputs> {
  const { session, mapping, client, signal } = input;
  // One round trip for both: the account's schema and its users do not depend on each other.
  const [snapshot, users] = await Promise.all([
    readAccountSnapshot(client, signal),
    readUsers(client, signal),
  ]);
  const schema = targetSchemaOf(
    input.assumeSchemaApplied ? withPlannedSchema(snapshot, assembleSchemaPlan(mapping, snapshot)) : snapshot,
  );
  const staffFile = mapping.objects.find((file) => file.object === 'staff');
  const staff = staffFile ? readStaff(staffFile, iterateRows(session.store, staffFile.file)) : [];
  const owners = new OwnerResolver({ staff, users, policy: mapping.owners });
  const identityKeys: IdentityFieldKeys = {
    deal: schema.customField('deal', IDENTITY_FIELD)?.key,
    person: schema.customField('person', IDENTITY_FIELD)?.key,
    organization: schema.customField('organization', IDENTITY_FIELD)?.key,
  };
  const { config, sourceDir } = session.workspace;
  const contactFile = mapping.objects.find((file) => file.object === 'contact');
  const contactMerges = contactFile
    ? readContactMerges({
        file: contactFile,
        rows: iterateRows(session.store, contactFile.file),
        duplicates: mapping.duplicates,
      })
    : undefined;
  const duplicates = contactMerges?.merges ?? new Map<string, string>();
  const references = readReferenceIndex(session, mapping);
  const plannerOptions: Omit<PlannerOptions, 'mapping'> = {
    schema,
    resolveOwner: owners.resolve,
    duplicateOf: (key) => duplicates.get(key),
    resolveKey: references.resolve,
    documentFile: (storagePath) => locateDocument(sourceDir, storagePath),
    ...(session.workspace.sourceUrl ? { documentUnavailable: unavailableDocuments(session.store) } : {}),
    maxUploadBytes: config.pipedrive.maxUploadBytes,
    visibleTo: config.pipedrive.visibleTo ?? 3,
  };
  return { snapshot, schema, users, staff, owners, identityKeys, plannerOptions, contactMerges };
}

/**
 * How the mapped files' references resolve to their parents' keys (keys spelled differently, claim
 * numbers, company and full names), from the extracted rows.
 */
export function readReferenceIndex(session: WorkspaceSession, mapping: Mapping): ReferenceIndex {
  return assembleReferenceIndex({
    mapping,
    inventory: loadInventory(session.store),
    rows: (file) => iterateRows(session.store, file),
  });
}

export async function readUsers(client: PipedriveRequester, signal?: AbortSignal): Promise<AccountUser[]> {
  const { data } = await client.request<PipedriveUser[] | null>({
    method: 'GET',
    path: '/api/v1/users',
    ...(signal ? { signal } : {}),
  });
  return (data ?? []).map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    active: user.active_flag !== false,
  }));
}

/** For an MCP source: the documents whose files it could not give, by row key → why. */
function unavailableDocuments(store: SqliteStore): (sourceKey: string) => string | undefined {
  const byKey = new Map(
    loadUnavailableDocuments(store).documents.map((document) => [document.record, document.reason]),
  );
  return (sourceKey) => byKey.get(sourceKey);
}

/**
 * A document's file inside the export folder. Paths that escape the folder (`../`, absolute paths, or a
 * symbolic link inside it pointing out) are refused: the export cannot make Ferry upload a file from
 * elsewhere on the machine.
 */
export function locateDocument(
  sourceDir: string,
  storagePath: string,
): { path: string; size: number } | undefined {
  const root = resolve(sourceDir);
  const cleaned = storagePath.replace(/\\/g, '/').trim();
  if (!cleaned || cleaned.startsWith('/') || /^[a-zA-Z]:/.test(cleaned)) return undefined;
  const path = resolve(root, cleaned);
  if (!isInside(root, path) || !existsSync(path)) return undefined;
  // Links are followed only as far as the export folder's own real location.
  if (!isInside(realpathSync(root), realpathSync(path))) return undefined;
  const stat = statSync(path);
  return stat.isFile() ? { path, size: stat.size } : undefined;
}

function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return !(inside.startsWith('..') || inside.includes(`..${sep}`) || resolve(join(root, inside)) !== path);
}
