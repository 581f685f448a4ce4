// The append-only anchor file: one signed head per line (JSON), outside the chain's database. Lines are
// only ever appended (O_APPEND, fsync), so a rewritten database cannot take back a head anchored here.
// A last line without its newline is a write torn by a crash and is reported, not trusted.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { SignedHead } from './signed-head.js';

export interface AnchorFileProblem {
  line: number;
  message: string;
}

export interface AnchorFileContents {
  anchors: SignedHead[];
  problems: AnchorFileProblem[];
  /** true when the last line was cut short (a crash while appending): ignored */
  tornTail: boolean;
}

/**
 * Append one signed head as a line and fsync it before returning. After a torn write (a last line without
 * its newline) the new head starts on a line of its own: the fragment stays, reported as not JSON.
 */
export function appendAnchor(file: string, head: SignedHead): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = openSync(file, 'a+', 0o644);
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    writeSync(fd, `${torn ? '\n' : ''}${JSON.stringify(head)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const TAIL_BYTES = 64 * 1024;

/**
 * The last complete anchor of `chain` in the file (undefined if none): reads only the file's tail, so an
 * edge box that anchors every few minutes for years does not re-read its whole anchor file each time.
 */
export function readLastAnchor(file: string, chain: string): SignedHead | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    let text = buffer.toString('utf8');
    // A window starting mid-file starts mid-line: drop that partial first line.
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    const found = lastOfChain(parseAnchors(text).anchors, chain);
    if (found || start === 0) return found;
  } finally {
    closeSync(fd);
  }
  return lastOfChain(readAnchors(file).anchors, chain);
}

function lastOfChain(anchors: readonly SignedHead[], chain: string): SignedHead | undefined {
  for (let i = anchors.length - 1; i >= 0; i--) {
    const anchor = anchors[i]!;
    if (anchor && typeof anchor === 'object' && anchor.chain === chain) return anchor;
  }
  return undefined;
}

/**
 * The seam for forwarding heads off the box (the hub forwarder, issue 11): every anchored head of `chain`
 * after row `afterSeq` (the forwarder's cursor), oldest first, as signed, so the receiver can verify them.
 * @example signedHeadsAfter('/var/lib/alpr/audit-anchors.jsonl', 'edge-01', 1200)
 */
export function signedHeadsAfter(file: string, chain: string, afterSeq: number): SignedHead[] {
  return readAnchors(file).anchors.filter(
    (a) => a && typeof a === 'object' && a.chain === chain && Number(a.seq) > afterSeq,
  );
}

/** Read every anchor; a missing file is an empty list (the caller decides whether that is allowed). */
export function readAnchors(file: string): AnchorFileContents {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { anchors: [], problems: [], tornTail: false };
    throw error;
  }
  return parseAnchors(text);
}

/** Parse anchor-file text (pure; see readAnchors). */
export function parseAnchors(text: string): AnchorFileContents {
  const lines = text.split('\n');
  const tornTail = lines.length > 0 && lines[lines.length - 1] !== '';
  // Whether or not the text ends in a newline, the last element is not a complete line.
  const complete = lines.slice(0, -1);
  const anchors: SignedHead[] = [];
  const problems: AnchorFileProblem[] = [];
  complete.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      anchors.push(JSON.parse(line) as SignedHead);
    } catch {
      problems.push({ line: index + 1, message: 'not valid JSON' });
    }
  });
  return { anchors, problems, tornTail };
}
