// A static packed R-tree (Sort-Tile-Recursive) over axis-aligned boxes: built once per registry
// version, then answers "which sites could be near this camera" in microseconds for 10,000 sites.
// It only filters candidates; every candidate is then measured exactly.

const NODE_SIZE = 16;

export class SpatialIndex {
  /** Boxes of every level, leaves first: [minX, minY, maxX, maxY] per entry. */
  private readonly levels: Float64Array[];
  /** Item ids in leaf order. */
  private readonly ids: Int32Array;
  private readonly stack: number[] = [];

  private constructor(levels: Float64Array[], ids: Int32Array) {
    this.levels = levels;
    this.ids = ids;
  }

  /**
   * Build from boxes given as [minX, minY, maxX, maxY] per item (item id = position).
   * @example SpatialIndex.build([[0, 0, 1, 1], [5, 5, 6, 6]]).search(0.5, 0.5, 2, 2) // [0]
   */
  static build(boxes: ReadonlyArray<readonly [number, number, number, number]>): SpatialIndex {
    const n = boxes.length;
    const cx = (i: number) => boxes[i]![0] + boxes[i]![2];
    const cy = (i: number) => boxes[i]![1] + boxes[i]![3];
    // STR: sort by x centre into vertical slices, each slice by y centre, then pack runs of NODE_SIZE.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cx(a) - cx(b));
    const leafCount = Math.ceil(n / NODE_SIZE);
    const sliceSize = Math.ceil(Math.sqrt(leafCount)) * NODE_SIZE;
    for (let s = 0; s < n; s += sliceSize) {
      const slice = order.slice(s, s + sliceSize).sort((a, b) => cy(a) - cy(b));
      for (let k = 0; k < slice.length; k++) order[s + k] = slice[k]!;
    }
    const leaves = new Float64Array(n * 4);
    for (let k = 0; k < n; k++) leaves.set(boxes[order[k]!]!, k * 4);
    const levels = [leaves];
    let below = leaves;
    while (below.length / 4 > 1) {
      const count = below.length / 4;
      const parents = new Float64Array(Math.ceil(count / NODE_SIZE) * 4);
      for (let p = 0; p * NODE_SIZE < count; p++) {
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (let c = p * NODE_SIZE; c < Math.min(count, (p + 1) * NODE_SIZE); c++) {
          minX = Math.min(minX, below[c * 4]!);
          minY = Math.min(minY, below[c * 4 + 1]!);
          maxX = Math.max(maxX, below[c * 4 + 2]!);
          maxY = Math.max(maxY, below[c * 4 + 3]!);
        }
        parents.set([minX, minY, maxX, maxY], p * 4);
      }
      levels.push(parents);
      below = parents;
    }
    return new SpatialIndex(levels, Int32Array.from(order));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Ids of every item whose box intersects the query box (touching counts), in no particular order. */
  search(minX: number, minY: number, maxX: number, maxY: number, out: number[] = []): number[] {
    if (this.ids.length === 0) return out;
    const stack = this.stack;
    stack.length = 0;
    const top = this.levels.length - 1;
    stack.push(top, 0);
    while (stack.length > 0) {
      const index = stack.pop()!;
      const level = stack.pop()!;
      const boxes = this.levels[level]!;
      const o = index * 4;
      if (boxes[o]! > maxX || boxes[o + 1]! > maxY || boxes[o + 2]! < minX || boxes[o + 3]! < minY) continue;
      if (level === 0) {
        out.push(this.ids[index]!);
        continue;
      }
      const count = this.levels[level - 1]!.length / 4;
      for (let c = index * NODE_SIZE; c < Math.min(count, (index + 1) * NODE_SIZE); c++)
        stack.push(level - 1, c);
    }
    return out;
  }
}
