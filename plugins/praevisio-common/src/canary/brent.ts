const DBL_EPSILON = 2.220446049250313e-16;

/** Result of {@link uniroot}. @public */
export interface UnirootResult {
  root: number;
  /** Iterations used; -1 when `maxIter` was reached without convergence. */
  iterations: number;
  /** Width of the final bracket (0 when an end point was an exact root). */
  estimPrec: number;
}

/**
 * Brent's root finder in the form R's `uniroot` runs it (`R_zeroin2`, after
 * Brent 1973 and netlib's zeroin.c): a bracket [lower, upper] with `fLower` and
 * `fUpper` of opposite signs, inverse quadratic interpolation or secant steps
 * when they fall well inside the bracket, bisection otherwise, and a step never
 * smaller than `2·eps·|b| + tol/2`. Step for step it is R's algorithm, so it
 * stops on the same abscissa as R for the same function values.
 *
 * Throws when the end values do not bracket a root, or `lower >= upper`, as R does.
 *
 * @public
 */
export function uniroot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: {
    fLower?: number;
    fUpper?: number;
    tol?: number;
    maxIter?: number;
  } = {},
): UnirootResult {
  if (!(lower < upper)) {
    throw new RangeError('uniroot: lower < upper is not fulfilled');
  }
  const tol = options.tol ?? Math.pow(DBL_EPSILON, 0.25);
  const maxIter = options.maxIter ?? 1000;
  const fl = options.fLower ?? f(lower);
  const fu = options.fUpper ?? f(upper);
  if (Number.isNaN(fl)) throw new RangeError('uniroot: f(lower) is NaN');
  if (Number.isNaN(fu)) throw new RangeError('uniroot: f(upper) is NaN');
  const clamp = (v: number) =>
    Math.max(Math.min(v, Number.MAX_VALUE), -Number.MAX_VALUE);
  if (clamp(fl) * clamp(fu) > 0) {
    throw new RangeError(
      'uniroot: f() values at end points not of opposite sign',
    );
  }
  return zeroin2(f, lower, upper, fl, fu, tol, maxIter);
}

function zeroin2(
  f: (x: number) => number,
  ax: number,
  bx: number,
  faIn: number,
  fbIn: number,
  tolIn: number,
  maxIt: number,
): UnirootResult {
  let a = ax;
  let b = bx;
  let fa = faIn;
  let fb = fbIn;
  let c = a;
  let fc = fa;
  let maxit = maxIt + 1;
  const tol = tolIn;

  // A root at an end point.
  if (fa === 0) return { root: a, iterations: 0, estimPrec: 0 };
  if (fb === 0) return { root: b, iterations: 0, estimPrec: 0 };

  while (maxit--) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // Swap so that b is the best approximation.
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * DBL_EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;

    if (Math.abs(newStep) <= tolAct || fb === 0) {
      return {
        root: b,
        iterations: maxIt + 1 - (maxit + 1),
        estimPrec: Math.abs(c - b),
      };
    }

    // Try interpolation if the previous step was large enough and in the right direction.
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        // Two distinct points: linear interpolation.
        const t1 = fb / fa;
        p = cb * t1;
        q = 1.0 - t1;
      } else {
        // Inverse quadratic interpolation.
        q = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
        q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
      }
      if (p > 0) q = -q;
      else p = -p;

      if (
        p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 &&
        p < Math.abs((prevStep * q) / 2)
      ) {
        newStep = p / q;
      }
    }

    if (Math.abs(newStep) < tolAct) {
      newStep = newStep > 0 ? tolAct : -tolAct;
    }
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      // Keep c on the other side of the root from b.
      c = a;
      fc = fa;
    }
  }
  return { root: b, iterations: -1, estimPrec: -1 };
}
