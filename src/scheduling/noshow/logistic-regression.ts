/**
 * Logistic regression with an L2 penalty, fitted by Newton's method (IRLS). Hand-written: the
 * model is a few dozen named weights a clinic can read ("same-day bookings: −1.2"), and the
 * JavaScript ML packages that offer it are unmaintained or pull in a tensor runtime for what is
 * 60 lines of arithmetic. Features are standardized inside; weights are reported per unit of
 * the original feature.
 */
export interface LogisticModel {
  names: string[];
  intercept: number;
  /** Weight per feature, in the feature's own units (log-odds per unit). */
  weights: number[];
}

export interface FitOptions {
  /** L2 penalty on the standardized weights. */
  lambda?: number;
  iterations?: number;
}

export function predict(model: LogisticModel, x: number[]): number {
  let z = model.intercept;
  for (let j = 0; j < x.length; j++) z += model.weights[j]! * x[j]!;
  return 1 / (1 + Math.exp(-z));
}

/** Fits weights for rows `xs` (same feature order as `names`) and outcomes `ys` (0/1). */
export function fitLogistic(
  data: { names: string[]; xs: number[][]; ys: number[] },
  options: FitOptions = {},
): LogisticModel {
  const { names, ys } = data;
  const { mean, scale } = standardization(data.xs, names.length);
  const xs = data.xs.map((row) => [1, ...row.map((value, j) => (value - mean[j]!) / scale[j]!)]);
  const size = names.length + 1;
  const beta = new Array<number>(size).fill(0);
  const lambda = options.lambda ?? 1;
  for (let iteration = 0; iteration < (options.iterations ?? 25); iteration++) {
    const { gradient, hessian } = newtonStep({ xs, ys, beta, lambda });
    const delta = solve(hessian, gradient);
    for (let j = 0; j < size; j++) beta[j]! += delta[j]!;
    if (Math.max(...delta.map(Math.abs)) < 1e-8) break;
  }
  const weights = names.map((_, j) => beta[j + 1]! / scale[j]!);
  const intercept = beta[0]! - weights.reduce((sum, weight, j) => sum + weight * mean[j]!, 0);
  return { names, intercept, weights };
}

function standardization(xs: number[][], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const row of xs) for (let j = 0; j < width; j++) mean[j]! += row[j]! / xs.length;
  for (const row of xs) for (let j = 0; j < width; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / xs.length;
  return { mean, scale: scale.map((variance) => Math.sqrt(variance) || 1) };
}

/** The penalized log-likelihood's gradient and (negated) Hessian at `beta`. */
function newtonStep(state: { xs: number[][]; ys: number[]; beta: number[]; lambda: number }) {
  const { xs, ys, beta, lambda } = state;
  const size = beta.length;
  const gradient = beta.map((b, j) => (j === 0 ? 0 : -lambda * b));
  const hessian = Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => (i === j && i > 0 ? lambda : 0)),
  );
  for (let n = 0; n < xs.length; n++) {
    const x = xs[n]!;
    let z = 0;
    for (let j = 0; j < size; j++) z += beta[j]! * x[j]!;
    const p = 1 / (1 + Math.exp(-z));
    const w = p * (1 - p);
    const residual = ys[n]! - p;
    for (let i = 0; i < size; i++) {
      gradient[i]! += residual * x[i]!;
      const wx = w * x[i]!;
      for (let j = i; j < size; j++) hessian[i]![j]! += wx * x[j]!;
    }
  }
  for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) hessian[i]![j] = hessian[j]![i]!;
  return { gradient, hessian };
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x;
}
