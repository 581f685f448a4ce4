// Font availability for rendered plates. librsvg silently substitutes a missing face with a
// proportional one, which the recognizer cannot read: check with fontconfig first, fail clearly.
import { execFileSync } from 'node:child_process';

export class MissingFontError extends Error {
  constructor(family: string, style: string, detail: string) {
    super(
      `font "${family}" (${style}) is not installed (${detail}); synthetic plates need it: install it ` +
        '(Debian/Ubuntu: apt-get install fonts-dejavu-core fontconfig)',
    );
    this.name = 'MissingFontError';
  }
}

let installed: string[] | undefined;

/** `family:style` lines from fc-list, read once per process. */
function fontList(): string[] {
  if (!installed) {
    installed = execFileSync('fc-list', [':', 'family', 'style'], { encoding: 'utf8', timeout: 15_000 })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }
  return installed;
}

/**
 * Throw MissingFontError unless fontconfig lists `family` with `style` (e.g. 'Bold').
 * @example assertFontInstalled('DejaVu Sans Mono', 'Bold')
 */
export function assertFontInstalled(family: string, style: string): void {
  let lines: string[];
  try {
    lines = fontList();
  } catch (error) {
    throw new MissingFontError(family, style, `fc-list failed: ${(error as Error).message}`);
  }
  const found = lines.some((line) => {
    const [families = '', styles = ''] = line.split(':style=');
    return (
      families.split(',').some((f) => f.trim().toLowerCase() === family.toLowerCase()) &&
      styles.split(',').some((s) => s.trim().toLowerCase() === style.toLowerCase())
    );
  });
  if (!found) throw new MissingFontError(family, style, 'fc-list does not list it');
}
