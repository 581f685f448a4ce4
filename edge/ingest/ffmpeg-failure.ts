// Turns how an ffmpeg run ended (exit code, signal, last stderr lines) into one reason an operator can
// act on, and scrubs credentials from ffmpeg's own messages (it echoes the input URL).

export type SourceFailureReason =
  | 'auth_failed'
  | 'not_found'
  | 'unreachable'
  | 'bad_stream'
  | 'stream_ended'
  | 'stalled'
  | 'ffmpeg_missing'
  | 'ffmpeg_failed'
  | 'pipeline_failed';

export const FAILURE_HINTS: Record<SourceFailureReason, string> = {
  auth_failed: 'camera refused the credentials (401): check the user and password in the URL',
  not_found: 'camera has no stream at that path (404): check the URL path',
  unreachable: 'cannot connect to the camera: check power, network, address and port',
  bad_stream: 'camera answered but the stream could not be decoded',
  stream_ended: 'stream ended',
  stalled: 'no frame within the watchdog window',
  ffmpeg_missing: 'ffmpeg could not be started',
  ffmpeg_failed: 'ffmpeg exited with an error',
  pipeline_failed: "the camera's recognition loop failed; the camera was stopped (see the error log)",
};

const PATTERNS: Array<[RegExp, SourceFailureReason]> = [
  [/\b401\b|unauthori[sz]ed|authorization failed/i, 'auth_failed'],
  [/\b404\b/, 'not_found'],
  [
    /connection refused|no route to host|network is unreachable|timed out|name or service not known|temporary failure in name resolution|cannot assign requested address|connection reset/i,
    'unreachable',
  ],
  [
    /invalid data found|could not find codec parameters|does not contain any stream|no such stream|error while decoding|unsupported|matches no streams/i,
    'bad_stream',
  ],
];

/**
 * Why an ffmpeg run ended, from its exit and its last stderr lines.
 * @example classifyFfmpegExit({ code: 1, signal: null, stderr: ['... 401 Unauthorized'] }) // 'auth_failed'
 */
export function classifyFfmpegExit(exit: {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string[];
  spawnError?: string;
}): SourceFailureReason {
  if (exit.spawnError) return 'ffmpeg_missing';
  for (const line of [...exit.stderr].reverse()) {
    for (const [pattern, reason] of PATTERNS) if (pattern.test(line)) return reason;
  }
  if (exit.code === 0) return 'stream_ended';
  return 'ffmpeg_failed';
}

/**
 * Replace URL userinfo and any known secret in free text with `***`.
 * @example redactText("rtsp://admin:pw@cam/s1: 401", ['pw']) // 'rtsp://***:***@cam/s1: 401'
 */
export function redactText(text: string, secrets: string[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]*@/gi, '$1***:***@');
  for (const secret of secrets) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}

/** The user name and password embedded in a URL (decoded and raw), for redacting ffmpeg's output. */
export function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    const raw = [u.username, u.password].filter((s) => s.length > 0);
    return [...new Set([...raw, ...raw.map((s) => safeDecode(s))])];
  } catch {
    return [];
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
