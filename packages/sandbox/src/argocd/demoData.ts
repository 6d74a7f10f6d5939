import type { SeedApplication, SeedDeployment } from './application';
import type { CommitInfo } from './git';
import type { RolloutStrategy } from './rolloutTypes';
import { fakeSha, formatTime } from './util';

export const DEMO_ENTITIES = [
  'payments-api',
  'checkout-web',
  'ledger-service',
  'notification-worker',
  'search-api',
] as const;

export type DemoEntity = (typeof DEMO_ENTITIES)[number];

const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
type Environment = (typeof ENVIRONMENTS)[number];

const AUTHORS = [
  'Amara Okafor <amara.okafor@praevisio.io>',
  'Jonas Weber <jonas.weber@praevisio.io>',
  'Priya Raman <priya.raman@praevisio.io>',
  'Mateo Silva <mateo.silva@praevisio.io>',
  'Hannah Lindqvist <hannah.lindqvist@praevisio.io>',
  'dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>',
];

/** Oldest first; each entity's repo gets one commit per line. */
const MESSAGES: Record<DemoEntity, string[]> = {
  'payments-api': [
    'feat(payments): add idempotency keys to capture endpoint',
    'fix(payments): retry PSP webhooks with exponential backoff',
    'chore(deps): bump github.com/stripe/stripe-go/v76 from 76.6.0 to 76.8.0',
    'perf(payments): cache merchant risk profile lookups',
    'feat(payments): support partial refunds',
    'fix(payments): reject captures above the authorised amount',
  ],
  'checkout-web': [
    'feat(checkout): one-page checkout behind feature flag',
    'fix(checkout): preserve basket on session refresh',
    'chore(deps): bump next from 14.2.3 to 14.2.5',
    'feat(checkout): show delivery estimate on review step',
    'fix(a11y): label the address autocomplete input',
    'perf(checkout): lazy-load payment method icons',
  ],
  'ledger-service': [
    'feat(ledger): double-entry journal for FX revaluation',
    'fix(ledger): round half-even in currency conversion',
    'chore: move postgres credentials to vault path v2',
    'feat(ledger): nightly trial balance export',
    'fix(ledger): lock account rows while posting',
    'refactor(ledger): split posting rules per legal entity',
  ],
  'notification-worker': [
    'feat(notify): SMS fallback when push delivery fails',
    'fix(notify): dedupe emails by message id',
    'chore(deps): bump github.com/aws/aws-sdk-go-v2/service/sqs to 1.34.3',
    'feat(notify): per-tenant quiet hours',
    'fix(notify): drain the queue before shutdown',
    'perf(notify): batch SES sends in groups of 50',
  ],
  'search-api': [
    'feat(search): typo-tolerant product search',
    'fix(search): escape reserved characters in queries',
    'chore(deps): bump opensearch-go to v4.1.0',
    'feat(search): boost in-stock products',
    'fix(search): paginate facets beyond 1000 buckets',
    'perf(search): warm index caches on startup',
  ],
};

/** How far each environment has been promoted: commits 1..n touched its overlay. */
const PROMOTED: Record<Environment, number> = { dev: 6, staging: 5, prod: 4 };
/** Hours between a commit landing and its deployment to the environment. */
const DEPLOY_DELAY_HOURS: Record<Environment, number> = {
  dev: 0.3,
  staging: 4,
  prod: 26,
};

const CANARY: RolloutStrategy = {
  canary: {
    canaryService: 'payments-api-canary',
    stableService: 'payments-api',
    trafficRouting: { nginx: { stableIngress: 'payments-api' } },
    steps: [
      { setWeight: 20 },
      { pause: {} },
      {
        analysis: {
          templates: [{ templateName: 'success-rate' }],
          args: [{ name: 'service-name', value: 'payments-api-canary' }],
        },
      },
      { setWeight: 50 },
      { pause: { duration: '30s' } },
    ],
  },
};

const BLUE_GREEN: RolloutStrategy = {
  blueGreen: {
    activeService: 'checkout-web',
    previewService: 'checkout-web-preview',
    autoPromotionEnabled: false,
  },
};

const PROD_ROLLOUTS: Partial<Record<DemoEntity, RolloutStrategy>> = {
  'payments-api': CANARY,
  'checkout-web': BLUE_GREEN,
};

const HOUR = 3_600_000;

function commitsFor(entity: DemoEntity, now: Date): CommitInfo[] {
  return MESSAGES[entity].map((message, i) => ({
    revision: fakeSha(`praevisio-demo/${entity}/${i + 1}`),
    // Oldest ~6 days ago, newest 2 hours ago; spread deterministically.
    date: formatTime(new Date(now.getTime() - ((5 - i) * 30 + 2) * HOUR)),
    author: message.startsWith('chore(deps)')
      ? AUTHORS[AUTHORS.length - 1]
      : AUTHORS[(entity.length + i) % (AUTHORS.length - 1)],
    message,
  }));
}

/**
 * Demo Argo CD applications for the catalog's sample entities: each entity
 * has dev, staging and prod apps reading overlays of one Git repository.
 * Releases flow dev → staging → prod, so prod runs an older commit than dev;
 * `search-api-prod` has a promotion waiting (OutOfSync). payments-api prod is
 * a canary Rollout, checkout-web prod a blue-green Rollout with manual
 * promotion, and checkout-web staging auto-syncs.
 */
export function seedDemoApplications(
  options: { now?: Date } = {},
): SeedApplication[] {
  const now = options.now ?? new Date();
  const seeds: SeedApplication[] = [];
  for (const entity of DEMO_ENTITIES) {
    const commits = commitsFor(entity, now);
    for (const env of ENVIRONMENTS) {
      const touched = commits.slice(0, PROMOTED[env]);
      // search-api prod: the promotion commit landed but was not synced yet.
      const pending = entity === 'search-api' && env === 'prod';
      const promotedCommits = pending
        ? commits.slice(0, PROMOTED[env] + 1)
        : touched;
      const deployed = touched.slice(-4);
      const autoSync = entity === 'checkout-web' && env === 'staging';
      const history: SeedDeployment[] = deployed.map(c => {
        const start = Date.parse(c.date) + DEPLOY_DELAY_HOURS[env] * HOUR;
        return {
          revision: c.revision,
          deployStartedAt: formatTime(new Date(start)),
          deployedAt: formatTime(new Date(start + 95_000)),
          initiatedBy: autoSync
            ? { automated: true }
            : { username: env === 'prod' ? 'release-bot' : 'admin' },
        };
      });
      const rollout = env === 'prod' ? PROD_ROLLOUTS[entity] : undefined;
      seeds.push({
        name: `${entity}-${env}`,
        project: entity === 'ledger-service' ? 'finance' : 'default',
        labels: {
          'app.kubernetes.io/part-of': entity,
          'praevisio.io/environment': env,
        },
        source: {
          repoURL: `https://github.com/praevisio-demo/${entity}.git`,
          path: `deploy/overlays/${env}`,
          targetRevision: 'main',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: `${entity}-${env}`,
        },
        ...(autoSync
          ? {
              syncPolicy: {
                automated: { prune: true, selfHeal: true },
                syncOptions: ['CreateNamespace=true'],
              },
            }
          : { syncPolicy: { syncOptions: ['CreateNamespace=true'] } }),
        workload: {
          name: entity,
          kind: rollout ? 'Rollout' : 'Deployment',
          replicas: env === 'prod' ? 5 : 2,
          image: `ghcr.io/praevisio-demo/${entity}`,
          ...(rollout ? { strategy: rollout } : {}),
        },
        commits: promotedCommits,
        history,
        createdAt: commits[0].date,
      });
    }
  }
  return seeds;
}
