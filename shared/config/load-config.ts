// Reads a YAML/JSON config file, validates it against the schema, resolves relative paths
// against the file's directory and fills the per-camera view. Pure except for the one file read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT, resolveFrom } from '../runtime/paths.js';
import { type ResolvedCamera, resolveCamera } from './camera.schema.js';
import { resolveEventPaths } from './events.schema.js';
import { type ConfigIssue, issuesToLines, toConfigIssues } from './format-issues.js';
import { type AlprConfig, configSchema } from './schema.js';

export interface LoadedConfig {
  /** Validated config with every relative path made absolute. */
  config: AlprConfig;
  /** Enabled and disabled cameras with defaults applied. */
  cameras: ResolvedCamera[];
  /** The file it came from, or undefined for built-in defaults. */
  source: string | undefined;
  /** The document as parsed, before validation (what a reload compares against). */
  raw?: unknown;
}

export type ConfigResult =
  | { ok: true; value: LoadedConfig }
  /** `raw`: the parsed document when the file was readable and well-formed YAML/JSON. */
  | { ok: false; issues: ConfigIssue[]; raw?: unknown };

export class ConfigError extends Error {
  constructor(
    readonly source: string | undefined,
    readonly issues: ConfigIssue[],
  ) {
    super(`invalid config${source ? ` ${source}` : ''}:\n${issuesToLines(issues).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate an already-parsed value. `baseDir` anchors relative paths. */
export function parseConfig(raw: unknown, baseDir: string, source?: string): ConfigResult {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return { ok: false, issues: toConfigIssues(parsed.error, (p) => knownKeysAt(configSchema, p)), raw };
  }
  const config = resolvePaths(parsed.data, baseDir);
  const cameras = config.cameras.map((c) => resolveCamera(c, config.cameraDefaults));
  return { ok: true, value: { config, cameras, source, raw } };
}

/** Read and validate a config file (YAML or JSON). */
export function loadConfigFile(file: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `cannot read ${file}: ${(error as Error).message}` }] };
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    };
  }
  return parseConfig(doc.toJS(), path.dirname(path.resolve(file)), file);
}

/** Load a config file, or the built-in defaults when `file` is undefined; throws ConfigError when invalid. */
export function loadConfig(file: string | undefined, cwd = process.cwd()): LoadedConfig {
  const result = file === undefined ? parseConfig({}, cwd) : loadConfigFile(file);
  if (!result.ok) throw new ConfigError(file, result.issues);
  return result.value;
}

function resolvePaths(config: AlprConfig, baseDir: string): AlprConfig {
  return {
    ...config,
    store: {
      ...config.store,
      path: resolveFrom(baseDir, config.store.path),
      cropsDir: resolveFrom(baseDir, config.store.cropsDir),
    },
    sites: {
      ...config.sites,
      registryPath: resolveFrom(baseDir, config.sites.registryPath),
      hub: config.sites.hub && {
        ...config.sites.hub,
        edgeKeyPath: resolveFrom(baseDir, config.sites.hub.edgeKeyPath ?? config.forward.edgeKeyPath),
      },
    },
    audit: {
      ...config.audit,
      keyPath: config.audit.keyPath && resolveFrom(baseDir, config.audit.keyPath),
      anchorPath: config.audit.anchorPath && resolveFrom(baseDir, config.audit.anchorPath),
    },
    access: {
      ...config.access,
      ...(config.access.lexiconPath ? { lexiconPath: resolveFrom(baseDir, config.access.lexiconPath) } : {}),
    },
    events: resolveEventPaths(config.events, baseDir),
    forward: { ...config.forward, edgeKeyPath: resolveFrom(baseDir, config.forward.edgeKeyPath) },
    models: {
      recognizer: config.models.recognizer
        ? resolveFrom(baseDir, config.models.recognizer)
        : path.join(PROJECT_ROOT, 'models', 'cct_xs_v1_global.onnx'),
      detector: config.models.detector
        ? resolveFrom(baseDir, config.models.detector)
        : path.join(
            PROJECT_ROOT,
            'node_modules',
            '@gutenye',
            'ocr-models',
            'assets',
            'ch_PP-OCRv4_det_infer.onnx',
          ),
    },
    ingest: {
      ...config.ingest,
      ffmpegPath: config.ingest.ffmpegPath ? resolveFrom(baseDir, config.ingest.ffmpegPath) : undefined,
    },
    hub: {
      ...config.hub,
      dataDir: resolveFrom(baseDir, config.hub.dataDir),
      keysDir: resolveFrom(baseDir, config.hub.keysDir ?? path.join(config.hub.dataDir, 'keys')),
      tls: config.hub.tls && {
        certPath: resolveFrom(baseDir, config.hub.tls.certPath),
        keyPath: resolveFrom(baseDir, config.hub.tls.keyPath),
      },
    },
  };
}

/** The keys a strict object accepts at `path`, for did-you-mean hints. */
function knownKeysAt(schema: z.ZodType, pathParts: PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  for (const part of [...pathParts, undefined]) {
    node = unwrap(node);
    if (part === undefined) break;
    if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(part)];
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  while (node && 'innerType' in (node.def as object)) {
    node = (node.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return node;
}
