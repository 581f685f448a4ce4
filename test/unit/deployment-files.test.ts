// Docker does not run on the build machines: these checks parse the deployment files and hold them to
// the config schema and the CLI, so a compose or unit file cannot drift from the code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildProgram } from '../../cli/main.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  healthcheck?: unknown;
  restart?: string;
}
const compose = YAML.parse(read('docker-compose.yml')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const { redis, edge, worker, hub, postgres } = compose.services as Record<
  'redis' | 'edge' | 'worker' | 'hub' | 'postgres',
  ComposeService
>;

/** The validated config the compose services mount, with container paths. */
function mountedConfig() {
  const configMount = edge.volumes!.find((v) => v.endsWith(':/etc/alpr/alpr.yaml:ro'))!;
  const hostFile = configMount.split(':')[0]!;
  const result = parseConfig(YAML.parse(read(hostFile)), '/etc/alpr');
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return result.value.config;
}

const mountTarget = (service: ComposeService, source: string) =>
  service.volumes?.map((v) => v.split(':')).find(([src]) => src === source)?.[1];

describe('docker-compose.yml', () => {
  it('has redis, edge and worker services, and the hub with its PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['edge', 'hub', 'postgres', 'redis', 'worker']);
  });

  it('runs redis with noeviction and an append-only file on a volume', () => {
    const command = redis.command!.join(' ');
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--appendonly yes/);
    expect(mountTarget(redis, 'redis-data')).toBe('/data');
    expect(redis.healthcheck).toBeDefined();
  });

  it('runs the edge and worker commands of the alpr CLI', () => {
    const commands = buildProgram({
      configPath: undefined,
      cwd: PROJECT_ROOT,
      stdout: () => undefined,
      stderr: () => undefined,
    }).commands.map((c) => c.name());
    expect(edge.command?.[0]).toBe('edge');
    expect(worker.command?.[0]).toBe('worker');
    expect(commands).toEqual(expect.arrayContaining(['edge', 'worker']));
    expect(worker.depends_on?.redis?.condition).toBe('service_healthy');
  });

  it('shares one volume holding the SQLite store between edge and worker', () => {
    const config = mountedConfig();
    const edgeData = mountTarget(edge, 'alpr-data');
    expect(edgeData).toBeDefined();
    expect(mountTarget(worker, 'alpr-data')).toBe(edgeData);
    expect(path.dirname(config.store.path)).toBe(edgeData);
    expect(config.sites.registryPath.startsWith(`${edgeData}/`)).toBe(true);
    expect(compose.volumes).toHaveProperty('alpr-data');
  });

  it('mounts the models read-only where the config expects them', () => {
    const config = mountedConfig();
    const modelsMount = edge.volumes!.find((v) => v.startsWith('./models-data:'))!;
    const [, target, mode] = modelsMount.split(':');
    expect(mode).toBe('ro');
    expect(path.dirname(config.models.recognizer!)).toBe(target);
  });

  it('publishes health and metrics on host localhost only, on the configured ports', () => {
    const config = mountedConfig();
    expect(edge.ports).toEqual([`127.0.0.1:${config.http.port}:${config.http.port}`]);
    expect(worker.ports).toEqual([`127.0.0.1:${config.worker.httpPort}:${config.worker.httpPort}`]);
    expect(config.redis.url).toBe('redis://redis:6379');
  });
});

/** The validated config the hub service mounts. */
function hubConfig() {
  const mount = hub.volumes!.find((v) => v.endsWith(':/etc/alpr/hub.yaml:ro'))!;
  const result = parseConfig(YAML.parse(read(mount.split(':')[0]!)), '/etc/alpr');
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return result.value.config;
}

describe('docker-compose.yml: the hub', () => {
  it('runs PostgreSQL on a volume of its own, with a healthcheck', () => {
    expect(postgres.image).toMatch(/^postgres:1[3-9]/);
    expect(mountTarget(postgres, 'postgres-data')).toBe('/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty('postgres-data');
    expect(JSON.stringify(postgres.healthcheck)).toMatch(/pg_isready/);
    // The password comes from the operator's .env, never from a committed file.
    expect(postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('starts the hub only once PostgreSQL and Redis are healthy', () => {
    expect(hub.command?.[0]).toBe('hub');
    expect(hub.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(hub.environment?.PGPASSWORD).toBe(postgres.environment?.POSTGRES_PASSWORD);
  });

  it('points the hub at the compose PostgreSQL and Redis, over TLS, with its keys on their own volume', () => {
    const config = hubConfig();
    const url = new URL(config.hub.databaseUrl!);
    expect(url.hostname).toBe('postgres');
    expect(url.password).toBe('');
    expect(url.username).toBe(postgres.environment?.POSTGRES_USER);
    expect(url.pathname).toBe(`/${postgres.environment?.POSTGRES_DB}`);
    expect(config.hub.redisUrl).toBe('redis://redis:6379');
    expect(config.hub.tls?.certPath.startsWith(`${mountTarget(hub, './hub-tls')}/`)).toBe(true);
    expect(mountTarget(hub, 'hub-data')).toBe(config.hub.dataDir);
    expect(config.hub.keysDir).toBe(`${config.hub.dataDir}/keys`);
    expect(hub.ports).toEqual([`${config.hub.port}:${config.hub.port}`]);
  });
});

describe('Dockerfile and systemd units', () => {
  it('builds an image whose entry point is the alpr binary, on Node 20 with ffmpeg', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/ffmpeg/);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/alpr.mjs"\]/);
    expect(dockerfile).not.toMatch(/\.onnx/);
    expect(dockerfile).toMatch(/^COPY hub \.\/hub$/m);
  });

  it.each([
    ['deploy/systemd/alpr-edge.service', 'edge'],
    ['deploy/systemd/alpr-worker.service', 'worker'],
    ['deploy/systemd/alpr-hub.service', 'hub'],
  ])('%s checks the config, then runs `alpr %s`', (file, command) => {
    const unit = read(file);
    expect(unit).toMatch(/^ExecStartPre=.*alpr\.mjs config check /m);
    expect(unit).toMatch(new RegExp(`^ExecStart=.*alpr\\.mjs ${command} --config `, 'm'));
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });
});
