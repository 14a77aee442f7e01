/**
 * Gradient-boosted regression trees for a 0/1 outcome (log loss, Newton leaves, L2 on the leaf
 * values), small and hand-written like the logistic regression next to it: a few hundred
 * shallow trees over a few dozen features train in seconds, and the candidate split points are
 * fixed per feature up front (quantiles of the training values) so each split is found from
 * per-bin sums rather than by sorting.
 */
export interface BoostedTrees {
  names: string[];
  /** The starting log-odds (the training no-show rate). */
  base: number;
  trees: TreeNode[][];
}

/** A node: a split (`feature`, `threshold`, child indexes) or a leaf (`value`, log-odds to add). */
export interface TreeNode {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  value: number;
  /** How much the split lowered the penalized log loss (0 for a leaf). */
  gain: number;
}

export interface BoostOptions {
  trees?: number;
  depth?: number;
  learningRate?: number;
  /** L2 penalty on leaf values (in units of summed Hessian). */
  lambda?: number;
  /** A leaf needs at least this much Hessian (≈ rows × p(1−p)). */
  minLeafHessian?: number;
  bins?: number;
  /** Each tree sees this share of the rows, drawn afresh (seeded, so a fit repeats exactly). */
  subsample?: number;
}

interface Binned {
  /** Per feature, the upper edge of each bin (the last bin is open). */
  edges: number[][];
  /** Per feature, each row's bin. */
  codes: Uint8Array[];
}

/** Each feature's share of the total split gain: what carries the model, summing to 1. */
export function featureImportance(model: BoostedTrees): { name: string; share: number }[] {
  const gains = model.names.map(() => 0);
  for (const tree of model.trees)
    for (const node of tree) if (node.left >= 0) gains[node.feature]! += node.gain;
  const total = gains.reduce((sum, gain) => sum + gain, 0) || 1;
  return model.names
    .map((name, index) => ({ name, share: gains[index]! / total }))
    .sort((a, b) => b.share - a.share);
}

function leafValue(tree: TreeNode[], x: number[]): number {
  let node = tree[0]!;
  while (node.left >= 0) node = tree[x[node.feature]! <= node.threshold ? node.left : node.right]!;
  return node.value;
}

const defaults: Required<BoostOptions> = {
  trees: 300,
  depth: 4,
  learningRate: 0.03,
  lambda: 5,
  minLeafHessian: 10,
  bins: 64,
  subsample: 0.7,
};

export function predictBoosted(model: BoostedTrees, x: number[]): number {
  let z = model.base;
  for (const tree of model.trees) z += leafValue(tree, x);
  return 1 / (1 + Math.exp(-z));
}

/** Fits trees to rows `xs` (same feature order as `names`) and outcomes `ys` (0/1). */
export function fitBoosted(
  data: { names: string[]; xs: number[][]; ys: number[] },
  options: BoostOptions = {},
): BoostedTrees {
  const settings = { ...defaults, ...options };
  const { xs, ys, names } = data;
  const rate = Math.min(Math.max(ys.reduce((s, y) => s + y, 0) / Math.max(ys.length, 1), 1e-6), 1 - 1e-6);
  const base = Math.log(rate / (1 - rate));
  const binned = binFeatures(xs, { width: names.length, bins: settings.bins });
  const z = new Float64Array(xs.length).fill(base);
  const gradient = new Float64Array(xs.length);
  const hessian = new Float64Array(xs.length);
  const trees: TreeNode[][] = [];
  let seed = 12345;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let t = 0; t < settings.trees; t++) {
    for (let i = 0; i < xs.length; i++) {
      const p = 1 / (1 + Math.exp(-z[i]!));
      gradient[i] = p - ys[i]!;
      hessian[i] = Math.max(p * (1 - p), 1e-9);
    }
    const tree: TreeNode[] = [];
    const rows = Array.from({ length: xs.length }, (_, i) => i).filter(() => random() < settings.subsample);
    grow({ tree, binned, gradient, hessian, settings }, rows, settings.depth);
    for (let i = 0; i < xs.length; i++) z[i]! += leafValue(tree, xs[i]!);
    trees.push(tree);
  }
  return { names, base, trees };
}

interface Growth {
  tree: TreeNode[];
  binned: Binned;
  gradient: Float64Array;
  hessian: Float64Array;
  settings: Required<BoostOptions>;
}

/** Grows the node for `rows` (appending it to the tree) and returns its index. */
function grow(growth: Growth, rows: number[], depth: number): number {
  const { tree, gradient, hessian, settings } = growth;
  const index = tree.length;
  let g = 0;
  let h = 0;
  for (const i of rows) {
    g += gradient[i]!;
    h += hessian[i]!;
  }
  tree.push({ feature: -1, threshold: 0, left: -1, right: -1, value: 0, gain: 0 });
  const split = depth > 0 ? bestSplit(growth, { rows, g, h }) : undefined;
  if (!split) {
    const value = (-g / (h + settings.lambda)) * settings.learningRate;
    tree[index]!.value = value;
    return index;
  }
  const codes = growth.binned.codes[split.feature]!;
  const left = rows.filter((i) => codes[i]! <= split.bin);
  const right = rows.filter((i) => codes[i]! > split.bin);
  const node = tree[index]!;
  node.feature = split.feature;
  node.threshold = growth.binned.edges[split.feature]![split.bin]!;
  node.gain = split.gain;
  node.left = grow(growth, left, depth - 1);
  node.right = grow(growth, right, depth - 1);
  return index;
}

/** The split of `rows` with the largest gain in penalized log loss, if any gains. */
function bestSplit(
  growth: Growth,
  node: { rows: number[]; g: number; h: number },
): { feature: number; bin: number; gain: number } | undefined {
  const { binned, gradient, hessian, settings } = growth;
  const { lambda, minLeafHessian } = settings;
  const parent = (node.g * node.g) / (node.h + lambda);
  let best: { feature: number; bin: number; gain: number } | undefined;
  for (let f = 0; f < binned.codes.length; f++) {
    const codes = binned.codes[f]!;
    const bins = binned.edges[f]!.length + 1;
    const gs = new Float64Array(bins);
    const hs = new Float64Array(bins);
    for (const i of node.rows) {
      gs[codes[i]!]! += gradient[i]!;
      hs[codes[i]!]! += hessian[i]!;
    }
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < bins - 1; b++) {
      gl += gs[b]!;
      hl += hs[b]!;
      const hr = node.h - hl;
      if (hl < minLeafHessian || hr < minLeafHessian) continue;
      const gr = node.g - gl;
      const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
      if (gain > 1e-9 && (!best || gain > best.gain)) best = { feature: f, bin: b, gain };
    }
  }
  return best;
}

/** Candidate split points per feature: up to `bins − 1` distinct quantiles of its values. */
function binFeatures(xs: number[][], shape: { width: number; bins: number }): Binned {
  const edges: number[][] = [];
  const codes: Uint8Array[] = [];
  for (let f = 0; f < shape.width; f++) {
    const sorted = xs.map((row) => row[f]!).sort((a, b) => a - b);
    const distinct = [...new Set(sorted)];
    // Few distinct values (flags, counts, bands): every value is a split point, rare ones too.
    const quantiles = Array.from(
      { length: shape.bins - 1 },
      (_, q) => sorted[Math.floor(((q + 1) * sorted.length) / shape.bins)]!,
    );
    const cuts = new Set(distinct.length <= shape.bins ? distinct : quantiles);
    cuts.delete(sorted[sorted.length - 1]!);
    const featureEdges = [...cuts].sort((a, b) => a - b);
    edges.push(featureEdges);
    codes.push(Uint8Array.from(xs, (row) => binOf(featureEdges, row[f]!)));
  }
  return { edges, codes };
}

/** The first bin whose upper edge is at or above `value` (binary search). */
function binOf(edges: number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (value <= edges[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}
