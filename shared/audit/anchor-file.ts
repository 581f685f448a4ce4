// The append-only anchor file: one signed head per line (JSON), outside the chain's database. Lines are
// only ever appended (O_APPEND, fsync), so a rewritten database cannot take back a head anchored here.
// A last line without its newline is a write torn by a crash and is reported, not trusted.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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

/** Append one signed head as a line and fsync it before returning. */
export function appendAnchor(file: string, head: SignedHead): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(head)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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
