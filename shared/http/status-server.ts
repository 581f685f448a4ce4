// A tiny local HTTP server for /health and /metrics, shared by the edge and the worker.
// It only routes GET requests to handlers; what "healthy" means is decided by the caller.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StatusResponse {
  status: number;
  contentType: string;
  body: string;
}

export type StatusRoute = () => Promise<StatusResponse> | StatusResponse;

export interface StatusServer {
  /** Actual bound port (useful with port 0). */
  readonly port: number;
  readonly url: string;
  /** Idempotent. */
  close(): Promise<void>;
}

/** JSON body helper. */
export function jsonResponse(status: number, value: unknown): StatusResponse {
  return { status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value)}\n` };
}

export async function startStatusServer(options: {
  host: string;
  port: number;
  routes: Record<string, StatusRoute>;
}): Promise<StatusServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = options.routes[path];
    if (req.method !== 'GET' || !route) {
      res
        .writeHead(req.method !== 'GET' && route ? 405 : 404, { 'content-type': 'text/plain' })
        .end('not found\n');
      return;
    }
    Promise.resolve()
      .then(route)
      .then(
        (out) => res.writeHead(out.status, { 'content-type': out.contentType }).end(out.body),
        (error: Error) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`error: ${error.message}\n`),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
