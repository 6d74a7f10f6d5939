import { Config } from '@backstage/config';
import { Application } from '@praevisio/backstage-plugin-node';

/** Label on an Argo CD application naming its environment (DESIGN §5). */
export const ENVIRONMENT_LABEL = 'praevisio.io/environment';
/** Environment of applications that no label or rule places. */
export const DEFAULT_ENVIRONMENT = 'default';

interface EnvironmentRule {
  name: string;
  namespace?: RegExp;
  cluster?: RegExp;
}

/**
 * Places Argo CD applications in environments and orders environments by
 * `praevisio.environments` (e.g. dev → staging → prod).
 */
export class EnvironmentResolver {
  static fromConfig(config: Config): EnvironmentResolver {
    const rules = (
      config.getOptionalConfigArray('praevisio.environments') ?? []
    ).map(c => {
      const namespacePattern = c.getOptionalString('namespacePattern');
      const clusterPattern = c.getOptionalString('clusterPattern');
      return {
        name: c.getString('name'),
        namespace: namespacePattern
          ? globToRegExp(namespacePattern)
          : undefined,
        cluster: clusterPattern ? globToRegExp(clusterPattern) : undefined,
      };
    });
    return new EnvironmentResolver(rules);
  }

  private constructor(private readonly rules: EnvironmentRule[]) {}

  /** Label first, then the first rule whose patterns all match the destination. */
  environmentOf(app: Application): string {
    const label = app.metadata.labels?.[ENVIRONMENT_LABEL];
    if (label) {
      return label;
    }
    const destination = app.spec?.destination ?? {};
    const rule = this.rules.find(r => {
      if (!r.namespace && !r.cluster) {
        return false; // an environment without patterns is placed by label only
      }
      const namespaceOk =
        !r.namespace || r.namespace.test(destination.namespace ?? '');
      const clusterOk =
        !r.cluster ||
        [destination.name, destination.server].some(
          c => c !== undefined && r.cluster!.test(c),
        );
      return namespaceOk && clusterOk;
    });
    return rule?.name ?? DEFAULT_ENVIRONMENT;
  }

  /** Sorts by config order; unknown environments last, alphabetically. */
  compare(a: string, b: string): number {
    const rank = (name: string) => {
      const index = this.rules.findIndex(r => r.name === name);
      return index < 0 ? this.rules.length : index;
    };
    return rank(a) - rank(b) || a.localeCompare(b);
  }
}

/** `*` matches any run of characters, `?` one character; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split('')
    .map(ch => {
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      return ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${pattern}$`);
}
