import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_CATALOG, EVENT_TYPES, type EventType } from '../../../shared/events/event-catalog.js';
import { checkEvent } from '../../../shared/events/plate-free.js';
import { declared, eventOf } from './factories.js';

// Plates as a careless producer might pass them: normalised, raw OCR, spaced, dashed, lower case, long.
const PLATES = ['7ABC123', '7abc123', '7 ABC 123', 'ABC-1234', '8XYZ999', 'CA 6TRJ244', 'LOVEU2'];
const normalise = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

type Json = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every leaf path of a valid sample of `type` (envelope and data). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Json).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

function setAt(target: Json, path: string[], value: unknown): Json {
  const copy = clone(target);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  node[path.at(-1)!] = value;
  return copy;
}

/** A plate smuggled into every field of every event type, in every way we could think of. */
function smuggledCorpus(): Array<{ name: string; event: unknown }> {
  const corpus: Array<{ name: string; event: unknown }> = [];
  for (const type of EVENT_TYPES) {
    const base = eventOf(type) as unknown as Json;
    for (const path of leafPaths(base)) {
      for (const plate of PLATES) {
        corpus.push({ name: `${type} ${path.join('.')} = "${plate}"`, event: setAt(base, path, plate) });
        corpus.push({ name: `${type} ${path.join('.')} = ["${plate}"]`, event: setAt(base, path, [plate]) });
        corpus.push({ name: `${type} ${path.join('.')} = {plate}`, event: setAt(base, path, { plate }) });
        const current = path.reduce<unknown>((n, k) => (n as Json)[k], base);
        if (typeof current === 'string') {
          for (const joined of [`${current} ${plate}`, `${current}-${plate}`, `${plate}${current}`]) {
            corpus.push({
              name: `${type} ${path.join('.')} = "${joined}"`,
              event: setAt(base, path, joined),
            });
          }
        }
      }
    }
    for (const plate of PLATES) {
      for (const field of ['plate', 'rawText', 'note', 'user', 'caseNumber', 'detail', 'crop']) {
        corpus.push({ name: `${type} data.${field}`, event: setAt(base, ['data', field], plate) });
        corpus.push({ name: `${type} top-level ${field}`, event: setAt(base, [field], plate) });
        corpus.push({ name: `${type} source.${field}`, event: setAt(base, ['source', field], plate) });
      }
      corpus.push({ name: `${type} a plate as a key`, event: setAt(base, ['data', plate], 1) });
      corpus.push({ name: `${type} a plate as a top-level key`, event: setAt(base, [plate], true) });
      corpus.push({ name: `${type} a plate as the type`, event: { ...base, type: plate } });
    }
  }
  return corpus;
}

describe('checkEvent (the plate-free gate every event passes)', () => {
  it.each(EVENT_TYPES)('accepts a valid %s and returns exactly what was checked', (type) => {
    const event = eventOf(type);
    const check = checkEvent(clone(event), declared());
    expect(check).toEqual({ ok: true, event });
  });

  it('refuses every event of the smuggling corpus, and its problems never contain the plate', () => {
    const corpus = smuggledCorpus();
    expect(corpus.length).toBeGreaterThan(1000);
    const accepted: string[] = [];
    for (const { name, event } of corpus) {
      const check = checkEvent(event, declared());
      if (check.ok) accepted.push(name);
      else {
        const text = normalise(JSON.stringify(check));
        for (const plate of PLATES) expect(text, name).not.toContain(normalise(plate));
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses an undeclared camera, edge or node id even when it is well formed', () => {
    expect(checkEvent(eventOf('camera.back', { cameraId: 'gate-east' }), declared())).toEqual({
      ok: false,
      type: 'camera.back',
      problems: [{ path: 'data.cameraId', code: 'undeclared_id' }],
    });
    const fromOther = eventOf('camera.back', {}, { source: { kind: 'edge', nodeId: 'edge-09' } });
    expect(checkEvent(fromOther, declared())).toMatchObject({
      problems: [{ path: 'source.nodeId', code: 'undeclared_id' }],
    });
    const hit = eventOf('hit.unverified_waiting', { edgeId: 'edge-03' });
    expect(checkEvent(hit, declared())).toMatchObject({
      problems: [{ path: 'data.edgeId', code: 'undeclared_id' }],
    });
  });

  it('reports an unknown field at its parent, without naming it', () => {
    const event = {
      ...eventOf('camera.back'),
      data: { cameraId: 'gate-north', offlineForS: 5, '7ABC123': 'x' },
    };
    expect(checkEvent(event, declared())).toEqual({
      ok: false,
      type: 'camera.back',
      problems: [{ path: 'data', code: 'unknown_field' }],
    });
  });

  it('refuses values that are not plain JSON (dates, buffers, NaN, class instances, deep nesting)', () => {
    const base = eventOf('camera.offline') as unknown as Json;
    for (const bad of [
      new Date(0),
      Buffer.from('7ABC123'),
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Map(),
      () => 1,
    ]) {
      const event = { ...base, data: { ...(base.data as Json), downForS: bad } };
      expect(checkEvent(event, declared())).toMatchObject({ ok: false, problems: [{ code: 'not_json' }] });
    }
    expect(checkEvent({ ...base, data: { a: { b: { c: { d: 1 } } } } }, declared())).toMatchObject({
      ok: false,
    });
  });

  it('refuses oversized events, a missing id, a non-UUID id and a non-UTC time', () => {
    const base = eventOf('camera.back');
    expect(checkEvent(base, declared(), 50)).toMatchObject({ problems: [{ code: 'too_large' }] });
    expect(checkEvent({ ...base, id: undefined }, declared()).ok).toBe(false);
    expect(checkEvent({ ...base, id: 'msg_7ABC123' }, declared()).ok).toBe(false);
    expect(checkEvent({ ...base, timestamp: '2026-01-15T08:00:00.000+01:00' }, declared()).ok).toBe(false);
  });

  it('has no free-text field in the catalog: every string field is an enum, a time or a declared id', () => {
    let strings = 0;
    for (const type of Object.keys(EVENT_CATALOG) as EventType[]) {
      const entry = EVENT_CATALOG[type];
      for (const [field, schema] of Object.entries(entry.data.shape)) {
        const json = JSON.stringify(z.toJSONSchema(schema as z.ZodType));
        if (!json.includes('"string"')) continue;
        strings += 1;
        const isEnum = json.includes('"enum"');
        const isTime = json.includes('\\\\d{4}-');
        const isId = field in entry.ids;
        expect(isEnum || isTime || isId, `${type}.${field}`).toBe(true);
      }
    }
    expect(strings).toBeGreaterThan(15);
  });
});
