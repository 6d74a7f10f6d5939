import { uniroot } from './brent';
import { seededRandom } from './bench';
import { MannWhitneyError, mannWhitneyTest, RankSumShift } from './mannWhitney';
import { qnorm } from './normal';

// Reference values below were produced with R 4.2.2:
//   wilcox.test(x, y, conf.int = TRUE, conf.level = L, exact = FALSE, correct = TRUE)
// printed with sprintf("%.17g"). The same algorithm must agree to 1e-6 (in practice ~1e-14).
const TOL = 1e-6;

function seq(n: number, f: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

// Generated identically in R: i <- 0:199; 100 + ((i*37) %% 101)/10 (many ties).
const GX = seq(200, i => 100 + ((i * 37) % 101) / 10);
const GY = seq(150, j => 98 + ((j * 53) % 97) / 10);

const R_CASES: Array<{
  name: string;
  x: number[];
  y: number[];
  conf: number;
  W: number;
  ci: [number, number];
  est: number;
}> = [
  {
    // The two-sample data of R's ?wilcox.test example.
    name: 'R help example (no ties)',
    x: [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
    y: [1.15, 0.88, 0.9, 0.74, 1.21],
    conf: 0.98,
    W: 35,
    ci: [-0.31999721322183022, 0.98994618206203366],
    est: 0.30250833904157232,
  },
  {
    name: 'R help example at 95 %',
    x: [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
    y: [1.15, 0.88, 0.9, 0.74, 1.21],
    conf: 0.95,
    W: 35,
    ci: [-0.15001483719908448, 0.75994276532229388],
    est: 0.30250833904157232,
  },
  {
    name: 'small samples with ties',
    x: [1, 2, 2, 3, 4, 4, 4, 5],
    y: [2, 3, 3, 3, 5, 6, 7],
    conf: 0.98,
    W: 20,
    ci: [-3.9999842540872979, 1.0000369570188714],
    est: -0.99999926051705867,
  },
  {
    name: 'clearly shifted samples',
    x: [10.1, 11.3, 9.8, 12.4, 10.9, 11.7, 10.2, 12.0, 11.1, 10.6, 11.9, 12.2],
    y: [8.2, 9.1, 7.9, 8.8, 9.4, 8.0, 8.6, 9.9, 8.3, 9.0],
    conf: 0.98,
    W: 119,
    ci: [1.5000057036227523, 3.400027514267935],
    est: 2.4999659380865742,
  },
  {
    // R's own extreme case: the interval ends are the range ends (no uniroot).
    name: 'one observation against 59 (interval at the range ends)',
    x: [1],
    y: seq(59, i => i + 2),
    conf: 0.98,
    W: 0,
    ci: [-59, -1],
    est: -30,
  },
  {
    name: 'identical samples',
    x: [1.5, 2.5, 3.5, 4.5],
    y: [1.5, 2.5, 3.5, 4.5],
    conf: 0.98,
    W: 8,
    ci: [-3, 3],
    est: 0,
  },
  {
    name: 'latency-like integers with ties across samples',
    x: [
      101, 99, 104, 110, 98, 103, 107, 102, 100, 105, 111, 97, 106, 108, 109,
      96, 112, 95, 113, 94,
    ],
    y: [
      100, 98, 97, 101, 99, 96, 102, 95, 103, 94, 104, 93, 105, 92, 106, 91,
      107, 90, 108, 89,
    ],
    conf: 0.98,
    W: 287.5,
    ci: [3.3088912480184991e-5, 9.9999669110875189],
    est: 5,
  },
  {
    name: 'generated 200 vs 150 with heavy ties',
    x: GX,
    y: GY,
    conf: 0.98,
    W: 21130,
    ci: [1.5000140001720921, 3.0000378231036748],
    est: 2.2999483302534691,
  },
  {
    name: 'generated at 90 %',
    x: GX,
    y: GY,
    conf: 0.9,
    W: 21130,
    ci: [1.7999900707056073, 2.8000674660734131],
    est: 2.2999483302534691,
  },
  {
    name: 'generated, samples swapped',
    x: GY,
    y: GX,
    conf: 0.98,
    W: 8870,
    ci: [-3.0000378231036748, -1.5000140001720921],
    est: -2.2999483302534691,
  },
  {
    name: 'exact shift by 5',
    x: [1.5, 2.25, 3, 7.5, 4.75, 9].map(v => v + 5),
    y: [1.5, 2.25, 3, 7.5, 4.75, 9],
    conf: 0.98,
    W: 31,
    ci: [-1.0000460258244086, 11.000046025824409],
    est: 5,
  },
];

describe('mannWhitneyTest agrees with R wilcox.test(exact = FALSE, correct = TRUE)', () => {
  it.each(R_CASES)('$name', c => {
    const r = mannWhitneyTest(c.x, c.y, { confLevel: c.conf });
    expect(r.statistic).toBe(c.W);
    expect(Math.abs(r.confidenceInterval[0] - c.ci[0])).toBeLessThan(TOL);
    expect(Math.abs(r.confidenceInterval[1] - c.ci[1])).toBeLessThan(TOL);
    expect(Math.abs(r.estimate - c.est)).toBeLessThan(TOL);
  });

  it('does not depend on the order of the samples', () => {
    const a = mannWhitneyTest([...GX].reverse(), GY, { confLevel: 0.98 });
    const b = mannWhitneyTest(
      GX,
      [...GY].sort((p, q) => q - p),
      {
        confLevel: 0.98,
      },
    );
    expect(a).toEqual(b);
  });

  it('is antisymmetric when the samples swap (up to the root tolerance)', () => {
    // nx·ny odd and no ties: each root is a single crossing, found within tol 1e-4.
    const x = seq(41, i => Math.sin(i) * 3 + 10);
    const y = seq(35, i => Math.cos(i * 1.7) * 2 + 9);
    const xy = mannWhitneyTest(x, y, { confLevel: 0.98 });
    const yx = mannWhitneyTest(y, x, { confLevel: 0.98 });
    expect(Math.abs(xy.estimate + yx.estimate)).toBeLessThan(2e-4);
    expect(
      Math.abs(xy.confidenceInterval[0] + yx.confidenceInterval[1]),
    ).toBeLessThan(2e-4);
    expect(
      Math.abs(xy.confidenceInterval[1] + yx.confidenceInterval[0]),
    ).toBeLessThan(2e-4);
  });

  it('gives estimate 0 and an interval around 0 for identical samples', () => {
    const x = seq(50, i => 100 + ((i * 7) % 13));
    const r = mannWhitneyTest(x, [...x], { confLevel: 0.98 });
    expect(Math.abs(r.estimate)).toBeLessThan(1e-4);
    expect(r.confidenceInterval[0]).toBeLessThan(0);
    expect(r.confidenceInterval[1]).toBeGreaterThan(0);
  });

  it('estimates a shift of the canary close to the shift', () => {
    const y = seq(300, i => 50 + ((i * 61) % 89) / 3);
    const x = y.map(v => v + 7.25);
    const r = mannWhitneyTest(x, y, { confLevel: 0.98 });
    expect(Math.abs(r.estimate - 7.25)).toBeLessThan(1e-3);
    expect(r.confidenceInterval[0]).toBeLessThan(7.25);
    expect(r.confidenceInterval[1]).toBeGreaterThan(7.25);
  });

  it('narrows the interval as the confidence level drops', () => {
    const wide = mannWhitneyTest(GX, GY, { confLevel: 0.99 });
    const narrow = mannWhitneyTest(GX, GY, { confLevel: 0.8 });
    expect(narrow.confidenceInterval[0]).toBeGreaterThanOrEqual(
      wide.confidenceInterval[0],
    );
    expect(narrow.confidenceInterval[1]).toBeLessThanOrEqual(
      wide.confidenceInterval[1],
    );
  });

  it('agrees with R on 10,000 samples per side (no Walsh differences formed)', () => {
    // R: i <- 0:9999; x <- 100 + ((i*7919) %% 1000)/10; y <- 99 + ((i*104729) %% 1000)/10
    const x = seq(10000, i => 100 + ((i * 7919) % 1000) / 10);
    const y = seq(10000, i => 99 + ((i * 104729) % 1000) / 10);
    const r = mannWhitneyTest(x, y, { confLevel: 0.98 });
    expect(r.statistic).toBe(50995000);
    expect(
      Math.abs(r.confidenceInterval[0] - 5.1939618902569959e-5),
    ).toBeLessThan(TOL);
    expect(Math.abs(r.confidenceInterval[1] - 1.9999480603810975)).toBeLessThan(
      TOL,
    );
    expect(Math.abs(r.estimate - 1)).toBeLessThan(TOL);
  });

  it('refuses samples that are all tied, empty or not finite', () => {
    expect(() => mannWhitneyTest([3], [1])).toThrow(MannWhitneyError);
    expect(() => mannWhitneyTest([2, 2, 2], [2, 2])).toThrow(
      /all observations are tied/,
    );
    expect(() => mannWhitneyTest([], [1, 2])).toThrow(MannWhitneyError);
    expect(() => mannWhitneyTest([1, Infinity], [1, 2])).toThrow(/non-finite/);
    expect(() => mannWhitneyTest([1, 2], [1, 3], { confLevel: 1 })).toThrow(
      /confLevel/,
    );
  });
});

/** R's `rank(c(x - d, y))` done the slow way: sort everything, average tied ranks. */
function referenceRanks(x: number[], y: number[], d: number) {
  const all = [
    ...x.map(v => ({ v: v - d, isX: true })),
    ...y.map(v => ({ v, isX: false })),
  ].sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  let tieSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].v === all[i].v) j++;
    const t = j - i;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k].isX) rankSumX += midRank;
    tieSum += t * t * t - t;
    i = j;
  }
  return { rankSumX, tieSum };
}

describe('RankSumShift', () => {
  it('ranks exactly as R would, ties and shifted-onto-y values included', () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      // Few distinct values, so most observations tie; sometimes none do.
      const levels = round % 4 === 0 ? 1e9 : 2 + Math.floor(rnd() * 30);
      const draw = () => Math.floor(rnd() * levels) / 4;
      const x = seq(1 + Math.floor(rnd() * 60), draw);
      const y = seq(1 + Math.floor(rnd() * 60), draw);
      const s = new RankSumShift(x, y);
      // Shifts that land x on y values (Walsh differences), and arbitrary ones.
      const shifts = [
        0,
        x[0] - y[0],
        x[x.length - 1] - y[0],
        rnd() * 4 - 2,
        1e-300,
      ];
      for (const d of shifts) {
        s.eval(d);
        expect({ rankSumX: s.rankSumX, tieSum: s.tieSum }).toEqual(
          referenceRanks(x, y, d),
        );
      }
    }
  });

  it('ties distinct x values that round to the same x - d, as R does', () => {
    // 2 and 2.5 differ, but 2 - 1e16 and 2.5 - 1e16 are the same double.
    const x = [2, 2.5];
    const y = [0];
    const s = new RankSumShift(x, y);
    s.eval(1e16);
    expect({ rankSumX: s.rankSumX, tieSum: s.tieSum }).toEqual(
      referenceRanks(x, y, 1e16),
    );
    expect(s.tieSum).toBe(6); // one group of two
  });
});

describe('qnorm (AS 241, as R)', () => {
  it.each([
    [0.5, true, 0],
    [0.975, true, 1.9599639845400536],
    [0.9, true, 1.2815515655446008],
    [0.01, false, 2.3263478740408408],
    [0.025, true, -1.9599639845400538],
    [0.3, true, -0.52440051270804067],
    [1e-10, true, -6.3613409024040557],
    [1e-12, true, -7.0344838253011321],
    [1e-300, true, -37.047096299361201],
    [0.2, false, 0.84162123357291441],
  ])('qnorm(%p, lower = %p) = %p', (p, lower, expected) => {
    expect(Math.abs(qnorm(p, lower) - expected)).toBeLessThan(
      1e-14 * Math.max(1, Math.abs(expected)),
    );
  });

  it('handles the boundaries', () => {
    expect(qnorm(0)).toBe(-Infinity);
    expect(qnorm(1)).toBe(Infinity);
    expect(qnorm(0, false)).toBe(Infinity);
    expect(qnorm(-0.1)).toBeNaN();
    expect(qnorm(NaN)).toBeNaN();
  });
});

describe('uniroot (R zeroin2)', () => {
  it('matches R for a smooth function with the default tolerance', () => {
    // R: uniroot(function(x) x^2 - 2, c(0, 2)) → root 1.4142133199955025, 6 iterations
    const r = uniroot(x => x * x - 2, 0, 2);
    expect(r.root).toBe(1.4142133199955025);
    expect(r.iterations).toBe(6);
  });

  it('matches R with a tight tolerance', () => {
    // R: uniroot(function(x) cos(x) - x, c(-1, 3), tol = 1e-10) → 0.73908513321526159, 8 iterations
    const r = uniroot(x => Math.cos(x) - x, -1, 3, { tol: 1e-10 });
    expect(r.root).toBe(0.73908513321526159);
    expect(r.iterations).toBe(8);
  });

  it('matches R on a step function', () => {
    // R: uniroot(function(x) ifelse(x < 0.3, -1, 1), c(0, 1), tol = 1e-4) → 0.29998779296875
    const r = uniroot(x => (x < 0.3 ? -1 : 1), 0, 1, { tol: 1e-4 });
    expect(r.root).toBe(0.29998779296875);
    expect(r.iterations).toBe(14);
  });

  it('returns an end point that is a root and rejects a bad bracket', () => {
    expect(uniroot(x => x - 1, 1, 2).root).toBe(1);
    expect(() => uniroot(x => x * x + 1, -1, 1)).toThrow(/opposite sign/);
    expect(() => uniroot(x => x, 1, 1)).toThrow(/lower < upper/);
  });
});
