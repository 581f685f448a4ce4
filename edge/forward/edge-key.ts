// This edge's secret for the hub, read from forward.edgeKeyPath: the 43-character base64url text that
// `alpr hub edges add` printed. Refused, like an ssh key, when others can read the file.
import { readFileSync, statSync } from 'node:fs';
import { parseEdgeSecret } from '../../shared/forward/request-signature.js';

export class EdgeKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EdgeKeyError';
  }
}

export function loadEdgeKey(file: string): Buffer {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EdgeKeyError(
      code === 'ENOENT'
        ? `${file}: edge key for the hub not found (forward.edgeKeyPath); write the secret from \`alpr hub edges add\` there, mode 0600`
        : `${file}: cannot read the edge key: ${(error as Error).message}`,
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new EdgeKeyError(
      `${file}: edge key is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  try {
    return parseEdgeSecret(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EdgeKeyError(`${file}: ${(error as Error).message}`);
  }
}
