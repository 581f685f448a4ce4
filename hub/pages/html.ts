// The one way pages build HTML: a tagged template that escapes every interpolated value unless it is
// already SafeHtml (built by this same template). User data therefore cannot become markup by accident;
// the only way around it is `trustedMarkup`, kept for markup our own code generated and escaped (the
// planner's SVG map, the QR code SVG), each call naming why.

/** Markup that is safe to insert as-is: produced by `html` or explicitly trusted. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escape text for an HTML text node or a quoted attribute value.
 * @example escapeHtml('<b onclick="x">') // '&lt;b onclick=&quot;x&quot;&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template: literal parts pass through, every `${value}` is escaped (arrays are joined,
 * null/undefined/false render nothing, SafeHtml is inserted as-is).
 * @example html`<p>${'<script>'}</p>`.value // '<p>&lt;script&gt;</p>'
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Insert markup our own code generated (it escapes its own text). `why` documents the call site; it is
 * not rendered. Never pass anything that contains unescaped user input.
 */
export function trustedMarkup(markup: string, _why: string): SafeHtml {
  return new SafeHtml(markup);
}

/** `selected`/`checked`-style boolean attribute. */
export const attrIf = (on: boolean, name: string): SafeHtml => new SafeHtml(on ? ` ${name}` : '');
