// Finds two edges of some closed rings that touch or cross, in O(n log n): a Shamos–Hoey sweep over the
// edges in [lng, lat] order, with exact predicates so the sweep's order never contradicts itself. Edges
// that follow each other on a ring may share their corner (and nothing else). This is what keeps a
// registry of long rings from taking seconds to validate (a check that only prunes by longitude is
// quadratic on a sawtooth ring; bench:geofence times that case).
import { comparePoints, foldsBack, orientSign, segmentsTouch } from './exact-orient.js';
import type { LngLat } from './local-frame.js';

/** One edge: ring `ring`, from its position `index` to `index + 1`. */
export interface EdgeRef {
  ring: number;
  index: number;
}

/** Thrown inside the sweep when a comparison itself proves two edges meet. */
class Found {
  constructor(
    readonly a: number,
    readonly b: number,
  ) {}
}

interface Edges {
  ref: EdgeRef[];
  /** Left (lexicographically smaller) and right end of each edge. */
  left: LngLat[];
  right: LngLat[];
  /** Edge count of each edge's ring. */
  ringEdges: number[];
}

function collectEdges(rings: readonly (readonly LngLat[])[]): Edges {
  const edges: Edges = { ref: [], left: [], right: [], ringEdges: [] };
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const p = ring[i]!;
      const q = ring[i + 1]!;
      const pFirst = comparePoints(p, q) < 0;
      edges.ref.push({ ring: r, index: i });
      edges.left.push(pFirst ? p : q);
      edges.right.push(pFirst ? q : p);
      edges.ringEdges.push(ring.length - 1);
    }
  });
  return edges;
}

function adjacent(edges: Edges, a: number, b: number): boolean {
  const ea = edges.ref[a]!;
  const eb = edges.ref[b]!;
  if (ea.ring !== eb.ring) return false;
  const n = edges.ringEdges[a]!;
  const [i, j] = ea.index < eb.index ? [ea.index, eb.index] : [eb.index, ea.index];
  return j === i + 1 || (i === 0 && j === n - 1);
}

/**
 * Two edges of `rings` that touch or cross, other than ring neighbours meeting only at their shared
 * corner; undefined when there are none. Each ring is closed (last position = first) with no
 * consecutive repeats. With several rings, edges of different rings must not meet at all.
 * @example findRingIntersection([[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]) // [{ ring: 0, index: 0 }, { ring: 0, index: 2 }]
 */
export function findRingIntersection(rings: readonly (readonly LngLat[])[]): [EdgeRef, EdgeRef] | undefined {
  const folded = findFold(rings);
  if (folded) return folded;
  const edges = collectEdges(rings);
  // A parcel of a few dozen corners is checked faster pair by pair than by setting up a sweep.
  if (edges.ref.length <= SMALL_EDGE_COUNT) return pairwise(edges);
  return sweepEdges(edges, rings);
}

/** The sweep alone, whatever the ring sizes (what the property tests compare with the pairwise check). */
export function findRingIntersectionBySweep(
  rings: readonly (readonly LngLat[])[],
): [EdgeRef, EdgeRef] | undefined {
  const folded = findFold(rings);
  return folded ?? sweepEdges(collectEdges(rings), rings);
}

function sweepEdges(edges: Edges, rings: readonly (readonly LngLat[])[]): [EdgeRef, EdgeRef] | undefined {
  try {
    const pair = sweep(edges);
    return pair && ordered(edges, pair);
  } catch (error) {
    if (!(error instanceof SweepInconsistency)) throw error;
    // Cannot happen with exact predicates; if it ever does, the slow check still gives the right answer.
    return findRingIntersectionNaive(rings);
  }
}

/** The quadratic reference check (tests compare the sweep against it; the sweep's safety net). */
export function findRingIntersectionNaive(
  rings: readonly (readonly LngLat[])[],
): [EdgeRef, EdgeRef] | undefined {
  const folded = findFold(rings);
  if (folded) return folded;
  return pairwise(collectEdges(rings));
}

/** Up to this many edges the pairwise check is used (at most ~2,000 pairs). */
const SMALL_EDGE_COUNT = 64;

function pairwise(edges: Edges): [EdgeRef, EdgeRef] | undefined {
  const n = edges.ref.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (adjacent(edges, a, b)) continue;
      if (segmentsTouch(edges.left[a]!, edges.right[a]!, edges.left[b]!, edges.right[b]!))
        return [edges.ref[a]!, edges.ref[b]!];
    }
  }
  return undefined;
}

/** Neighbouring edges folding back over each other (a zero-width spike), found in one pass. */
function findFold(rings: readonly (readonly LngLat[])[]): [EdgeRef, EdgeRef] | undefined {
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r]!;
    const n = ring.length - 1;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      const next = (i + 1) % n;
      if (foldsBack(ring[i]!, ring[i + 1]!, ring[next + 1]!)) {
        const [a, b] = i < next ? [i, next] : [next, i];
        return [
          { ring: r, index: a },
          { ring: r, index: b },
        ];
      }
    }
  }
  return undefined;
}

function ordered(edges: Edges, [a, b]: [number, number]): [EdgeRef, EdgeRef] {
  const ea = edges.ref[a]!;
  const eb = edges.ref[b]!;
  return ea.ring < eb.ring || (ea.ring === eb.ring && ea.index < eb.index) ? [ea, eb] : [eb, ea];
}

class SweepInconsistency extends Error {}

function sweep(edges: Edges): [number, number] | undefined {
  const { left, right } = edges;
  const n = left.length;
  // Events: 2k = left end of edge k, 2k + 1 = right end; sorted by point.
  const events = new Int32Array(2 * n);
  for (let i = 0; i < events.length; i++) events[i] = i;
  const pointOf = (e: number) => ((e & 1) === 0 ? left[e >> 1]! : right[e >> 1]!);
  events.sort((x, y) => comparePoints(pointOf(x), pointOf(y)) || (x & 1) - (y & 1));

  // side(k, p) > 0: p lies above edge k (left of its left→right direction).
  const side = (k: number, p: LngLat) => {
    const a = left[k]!;
    const b = right[k]!;
    return orientSign(a[0], a[1], b[0], b[1], p[0], p[1]);
  };
  /** Order of two edges both crossing the sweep line, bottom to top; they meet when it cannot be told. */
  const compare = (s: number, t: number): number => {
    if (s === t) return 0;
    const later = comparePoints(left[s]!, left[t]!) >= 0;
    const [u, v] = later ? [s, t] : [t, s]; // u starts at or after v
    let sign = side(v, left[u]!);
    if (sign === 0) {
      const sameStart = comparePoints(left[u]!, left[v]!) === 0;
      if (!sameStart || adjacent(edges, s, t) === false) throw new Found(s, t);
      sign = side(v, right[u]!);
      if (sign === 0) throw new Found(s, t);
    }
    return later ? sign : -sign;
  };
  const meets = (a: number, b: number) =>
    a >= 0 && b >= 0 && !adjacent(edges, a, b) && segmentsTouch(left[a]!, right[a]!, left[b]!, right[b]!);

  const status = new Treap(n, compare);
  try {
    for (let i = 0; i < events.length; ) {
      const p = pointOf(events[i]!);
      let j = i;
      while (j < events.length && comparePoints(pointOf(events[j]!), p) === 0) j++;
      const at = Array.from(events.subarray(i, j));
      i = j;
      // Edges ending or starting here: any two that are not ring neighbours meet at p.
      const incident = at.map((e) => e >> 1);
      for (let x = 0; x < incident.length && x < 3; x++)
        for (let y = x + 1; y < incident.length; y++)
          if (!adjacent(edges, incident[x]!, incident[y]!)) return [incident[x]!, incident[y]!];
      for (const e of at) {
        if ((e & 1) === 0) continue;
        const k = e >> 1;
        const below = status.predecessor(k);
        const above = status.successor(k);
        status.remove(k);
        if (meets(below, above)) return [below, above];
      }
      // An edge passing through p (not ending here) meets every edge that has an end at p.
      const through = status.find((k) => side(k, p));
      if (through >= 0) return [through, incident[0]!];
      for (const e of at) {
        if ((e & 1) === 1) continue;
        const k = e >> 1;
        status.insert(k);
        const below = status.predecessor(k);
        if (meets(below, k)) return [below, k];
        const above = status.successor(k);
        if (meets(k, above)) return [k, above];
      }
    }
  } catch (error) {
    if (error instanceof Found) return [error.a, error.b];
    throw error;
  }
  return undefined;
}

/** A treap over edge ids ordered by `compare`, with deterministic priorities. */
class Treap {
  private readonly l: Int32Array;
  private readonly r: Int32Array;
  private readonly prio: Uint32Array;
  private root = -1;

  constructor(
    size: number,
    private readonly compare: (a: number, b: number) => number,
  ) {
    this.l = new Int32Array(size).fill(-1);
    this.r = new Int32Array(size).fill(-1);
    this.prio = new Uint32Array(size);
    let seed = 0x9e3779b9;
    for (let i = 0; i < size; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      this.prio[i] = seed >>> 0;
    }
  }

  insert(k: number): void {
    this.root = this.insertAt(this.root, k);
  }

  remove(k: number): void {
    this.root = this.removeAt(this.root, k);
  }

  /** The edge just below k (k must be in the tree), or -1. */
  predecessor(k: number): number {
    let t = this.root;
    let best = -1;
    while (t >= 0) {
      if (t === k) {
        if (this.l[t]! < 0) return best;
        t = this.l[t]!;
        while (this.r[t]! >= 0) t = this.r[t]!;
        return t;
      }
      if (this.compare(k, t) > 0) {
        best = t;
        t = this.r[t]!;
      } else t = this.l[t]!;
    }
    throw new SweepInconsistency('edge not in the sweep status');
  }

  /** The edge just above k (k must be in the tree), or -1. */
  successor(k: number): number {
    let t = this.root;
    let best = -1;
    while (t >= 0) {
      if (t === k) {
        if (this.r[t]! < 0) return best;
        t = this.r[t]!;
        while (this.l[t]! >= 0) t = this.l[t]!;
        return t;
      }
      if (this.compare(k, t) < 0) {
        best = t;
        t = this.l[t]!;
      } else t = this.r[t]!;
    }
    throw new SweepInconsistency('edge not in the sweep status');
  }

  /** Binary search with `where(k)`: > 0 go up, < 0 go down, 0 found; returns the edge or -1. */
  find(where: (k: number) => number): number {
    let t = this.root;
    while (t >= 0) {
      const w = where(t);
      if (w === 0) return t;
      t = w > 0 ? this.r[t]! : this.l[t]!;
    }
    return -1;
  }

  private insertAt(t: number, k: number): number {
    if (t < 0) {
      this.l[k] = -1;
      this.r[k] = -1;
      return k;
    }
    if (this.compare(k, t) < 0) {
      this.l[t] = this.insertAt(this.l[t]!, k);
      if (this.prio[this.l[t]!]! > this.prio[t]!) return this.rotateRight(t);
    } else {
      this.r[t] = this.insertAt(this.r[t]!, k);
      if (this.prio[this.r[t]!]! > this.prio[t]!) return this.rotateLeft(t);
    }
    return t;
  }

  private removeAt(t: number, k: number): number {
    if (t < 0) throw new SweepInconsistency('edge not in the sweep status');
    if (t === k) return this.merge(this.l[t]!, this.r[t]!);
    if (this.compare(k, t) < 0) this.l[t] = this.removeAt(this.l[t]!, k);
    else this.r[t] = this.removeAt(this.r[t]!, k);
    return t;
  }

  private merge(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    if (this.prio[a]! > this.prio[b]!) {
      this.r[a] = this.merge(this.r[a]!, b);
      return a;
    }
    this.l[b] = this.merge(a, this.l[b]!);
    return b;
  }

  private rotateRight(t: number): number {
    const x = this.l[t]!;
    this.l[t] = this.r[x]!;
    this.r[x] = t;
    return x;
  }

  private rotateLeft(t: number): number {
    const x = this.r[t]!;
    this.r[t] = this.l[x]!;
    this.l[x] = t;
    return x;
  }
}
