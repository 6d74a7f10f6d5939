import { CanaryValidationError } from './errors';
import type {
  CanaryConfig,
  CanaryMetricConfig,
  CanaryThresholds,
  EffectSizeMeasure,
  MetricDirection,
  NanStrategy,
} from './types';

/** Kayenta's defaults: 98 % confidence, 25 % tolerance around the estimate. */
export const DEFAULT_CONFIDENCE_LEVEL = 0.98;
export const DEFAULT_TOLERANCE = 0.25;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function num(
  v: unknown,
  path: string,
  def: number,
  check?: (n: number) => string | undefined,
): number {
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CanaryValidationError(
      path,
      `must be a finite number, got ${describe(v)}`,
    );
  }
  const problem = check?.(v);
  if (problem) throw new CanaryValidationError(path, problem);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') {
    throw new CanaryValidationError(
      path,
      `must be true or false, got ${describe(v)}`,
    );
  }
  return v;
}

function oneOf<T extends string>(
  v: unknown,
  path: string,
  allowed: ReadonlyArray<T>,
  def: T,
): T {
  if (v === undefined || v === null) return def;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new CanaryValidationError(
      path,
      `must be one of ${allowed.join(', ')}; got ${describe(v)}`,
    );
  }
  return v as T;
}

function parseThresholds(v: unknown, path: string): CanaryThresholds {
  if (v === undefined || v === null) {
    throw new CanaryValidationError(
      path,
      'is required: give the score thresholds, e.g. { "pass": 95, "marginal": 75 }',
    );
  }
  if (!isObj(v)) {
    throw new CanaryValidationError(
      path,
      `must be an object with pass and marginal, got ${describe(v)}`,
    );
  }
  const range = (n: number) =>
    n < 0 || n > 100 ? 'must be between 0 and 100' : undefined;
  if (v.pass === undefined || v.pass === null) {
    throw new CanaryValidationError(join(path, 'pass'), 'is required');
  }
  if (v.marginal === undefined || v.marginal === null) {
    throw new CanaryValidationError(join(path, 'marginal'), 'is required');
  }
  const pass = num(v.pass, join(path, 'pass'), 0, range);
  const marginal = num(v.marginal, join(path, 'marginal'), 0, range);
  if (marginal > pass) {
    throw new CanaryValidationError(
      join(path, 'marginal'),
      `must not be above pass (${pass}), got ${marginal}`,
    );
  }
  return { pass, marginal };
}

function parseMetric(v: unknown, i: number): CanaryMetricConfig {
  const path = join('metrics', i);
  if (!isObj(v)) {
    throw new CanaryValidationError(
      path,
      `must be an object with at least "name", got ${describe(v)}`,
    );
  }
  if (typeof v.name !== 'string' || v.name.trim() === '') {
    throw new CanaryValidationError(
      join(path, 'name'),
      v.name === undefined
        ? 'is required'
        : `must be a non-empty string, got ${describe(v.name)}`,
    );
  }
  let groups = ['default'];
  if (v.groups !== undefined && v.groups !== null) {
    if (!Array.isArray(v.groups) || v.groups.length === 0) {
      throw new CanaryValidationError(
        join(path, 'groups'),
        'must be a non-empty list of group names',
      );
    }
    groups = v.groups.map((g, j) => {
      if (typeof g !== 'string' || g.trim() === '') {
        throw new CanaryValidationError(
          join(join(path, 'groups'), j),
          `must be a non-empty string, got ${describe(g)}`,
        );
      }
      return g;
    });
    groups = [...new Set(groups)];
  }

  // Kayenta keeps the settings under analysisConfigurations.canary; a flat form is accepted too.
  let settings: Obj = v;
  let sp = path;
  if (
    v.analysisConfigurations !== undefined &&
    v.analysisConfigurations !== null
  ) {
    const ac = v.analysisConfigurations;
    if (!isObj(ac)) {
      throw new CanaryValidationError(
        join(path, 'analysisConfigurations'),
        `must be an object, got ${describe(ac)}`,
      );
    }
    if (ac.canary !== undefined && ac.canary !== null) {
      if (!isObj(ac.canary)) {
        throw new CanaryValidationError(
          join(join(path, 'analysisConfigurations'), 'canary'),
          `must be an object, got ${describe(ac.canary)}`,
        );
      }
      settings = ac.canary;
      sp = join(join(path, 'analysisConfigurations'), 'canary');
    }
  }

  const direction = oneOf<MetricDirection>(
    settings.direction,
    join(sp, 'direction'),
    ['increase', 'decrease', 'either'],
    'either',
  );
  const nanStrategy = oneOf<NanStrategy>(
    settings.nanStrategy,
    join(sp, 'nanStrategy'),
    ['remove', 'replace'],
    'remove',
  );
  const critical = bool(settings.critical, join(sp, 'critical'));
  const mustHaveData = bool(settings.mustHaveData, join(sp, 'mustHaveData'));
  const muted = bool(settings.muted, join(sp, 'muted'));

  const ep = join(sp, 'effectSize');
  let es: Obj = {};
  if (settings.effectSize !== undefined && settings.effectSize !== null) {
    if (!isObj(settings.effectSize)) {
      throw new CanaryValidationError(
        ep,
        `must be an object, got ${describe(settings.effectSize)}`,
      );
    }
    es = settings.effectSize;
  }
  const measure = oneOf<EffectSizeMeasure>(
    es.measure,
    join(ep, 'measure'),
    ['meanRatio', 'cles'],
    'meanRatio',
  );
  // Kayenta: 1.0 (no change) for the mean ratio, 0.5 (no change) for CLES.
  const neutral = measure === 'cles' ? 0.5 : 1.0;
  const clesRange = (n: number) =>
    measure === 'cles' && (n < 0 || n > 1)
      ? 'must be between 0 and 1 for CLES'
      : undefined;
  return {
    name: v.name,
    groups,
    direction,
    nanStrategy,
    critical,
    mustHaveData,
    muted,
    effectSize: {
      measure,
      allowedIncrease: num(
        es.allowedIncrease,
        join(ep, 'allowedIncrease'),
        neutral,
        clesRange,
      ),
      allowedDecrease: num(
        es.allowedDecrease,
        join(ep, 'allowedDecrease'),
        neutral,
        clesRange,
      ),
      criticalIncrease: num(
        es.criticalIncrease,
        join(ep, 'criticalIncrease'),
        neutral,
        clesRange,
      ),
      criticalDecrease: num(
        es.criticalDecrease,
        join(ep, 'criticalDecrease'),
        neutral,
        clesRange,
      ),
    },
  };
}

/**
 * Validates a canary configuration (parsed JSON, or YAML loaded to an object).
 *
 * Accepts Kayenta's shapes (`classifier.groupWeights`, `classifier.scoreThresholds`,
 * per-metric `analysisConfigurations.canary`) and a flat form (`groupWeights`,
 * `thresholds`, settings directly on the metric). `thresholds` are required.
 * Throws {@link CanaryValidationError} naming the field path.
 *
 * @public
 */
export function parseCanaryConfig(json: unknown): CanaryConfig {
  if (!isObj(json)) {
    throw new CanaryValidationError(
      '',
      `the canary configuration must be an object, got ${describe(json)}`,
    );
  }
  let classifier: Obj = {};
  if (json.classifier !== undefined && json.classifier !== null) {
    if (!isObj(json.classifier)) {
      throw new CanaryValidationError(
        'classifier',
        `must be an object, got ${describe(json.classifier)}`,
      );
    }
    classifier = json.classifier;
  }

  const confidenceLevel = num(
    json.confidenceLevel,
    'confidenceLevel',
    DEFAULT_CONFIDENCE_LEVEL,
    n => (n > 0 && n < 1 ? undefined : 'must be between 0 and 1 (exclusive)'),
  );
  const tolerance = num(json.tolerance, 'tolerance', DEFAULT_TOLERANCE, n =>
    n >= 0 ? undefined : 'must be ≥ 0',
  );

  let thresholds: CanaryThresholds;
  if (json.thresholds !== undefined && json.thresholds !== null) {
    thresholds = parseThresholds(json.thresholds, 'thresholds');
  } else if (
    classifier.scoreThresholds !== undefined &&
    classifier.scoreThresholds !== null
  ) {
    thresholds = parseThresholds(
      classifier.scoreThresholds,
      'classifier.scoreThresholds',
    );
  } else {
    thresholds = parseThresholds(undefined, 'thresholds');
  }

  const rawMetrics = json.metrics;
  if (!Array.isArray(rawMetrics) || rawMetrics.length === 0) {
    throw new CanaryValidationError(
      'metrics',
      rawMetrics === undefined
        ? 'is required: list at least one metric'
        : 'must be a non-empty list',
    );
  }
  const metrics = rawMetrics.map(parseMetric);
  const seen = new Map<string, number>();
  metrics.forEach((m, i) => {
    const first = seen.get(m.name);
    if (first !== undefined) {
      throw new CanaryValidationError(
        `metrics[${i}].name`,
        `duplicate metric "${m.name}" (first at metrics[${first}])`,
      );
    }
    seen.set(m.name, i);
  });

  const gwPath =
    json.groupWeights !== undefined
      ? 'groupWeights'
      : 'classifier.groupWeights';
  const gwRaw =
    json.groupWeights !== undefined
      ? json.groupWeights
      : classifier.groupWeights;
  const groupWeights: Record<string, number> = {};
  if (gwRaw !== undefined && gwRaw !== null) {
    if (!isObj(gwRaw)) {
      throw new CanaryValidationError(
        gwPath,
        `must be an object of group → weight, got ${describe(gwRaw)}`,
      );
    }
    for (const [g, w] of Object.entries(gwRaw)) {
      groupWeights[g] = num(w, join(gwPath, g), 0, n =>
        n < 0 ? 'must be ≥ 0' : undefined,
      );
    }
  }
  const usedGroups = new Set(metrics.flatMap(m => m.groups));
  const unweighted = [...usedGroups].filter(g => !(g in groupWeights));
  const weightSum = Object.values(groupWeights).reduce((a, b) => a + b, 0);
  if (unweighted.length > 0 && weightSum > 100) {
    throw new CanaryValidationError(
      gwPath,
      `weights sum to ${weightSum}, leaving nothing for groups without a weight (${unweighted.join(
        ', ',
      )})`,
    );
  }

  return { confidenceLevel, tolerance, thresholds, groupWeights, metrics };
}
