import { ConfigReader } from '@backstage/config';
import { Application } from '@praevisio/backstage-plugin-node';
import { readEntityApplicationsQuery } from './EntityApplications';
import { EnvironmentResolver } from './EnvironmentResolver';
import { labelSelectorProblem } from './labelSelector';
import { entity } from './__testUtils__/sandbox';

const INSTANCES = ['main', 'edge'];

describe('readEntityApplicationsQuery', () => {
  it('reads comma-separated application names on the first instance by default', () => {
    expect(
      readEntityApplicationsQuery(
        entity('a', { 'argocd/app-name': 'shop-dev, shop-prod,shop-dev' }),
        INSTANCES,
      ),
    ).toEqual({ instance: 'main', appNames: ['shop-dev', 'shop-prod'] });
  });

  it('prefers the selector, narrowed by project, on the named instance', () => {
    expect(
      readEntityApplicationsQuery(
        entity('a', {
          'argocd/app-name': 'ignored',
          'argocd/app-selector': 'team in (a, b),tier!=batch, !legacy',
          'argocd/project-name': 'payments',
          'argocd/instance-name': 'edge',
        }),
        INSTANCES,
      ),
    ).toEqual({
      instance: 'edge',
      selector: 'team in (a, b),tier!=batch, !legacy',
      project: 'payments',
    });
  });

  it.each([
    [{ 'argocd/app-selector': 'app=(shop' }, 'argocd/app-selector'],
    [{ 'argocd/app-selector': 'app in (a b)' }, 'argocd/app-selector'],
    [{ 'argocd/app-selector': '' }, 'argocd/app-selector'],
    [{ 'argocd/app-name': 'Shop_Prod' }, 'argocd/app-name'],
    [{ 'argocd/app-name': 'shop-dev,,shop-prod' }, 'argocd/app-name'],
    [
      { 'argocd/app-name': 'shop', 'argocd/instance-name': 'nowhere' },
      'argocd/instance-name',
    ],
    [
      { 'argocd/app-name': 'shop', 'argocd/project-name': 'Bad Project' },
      'argocd/project-name',
    ],
  ])(
    'rejects malformed annotations %j with a 400 naming %s',
    (annotations, name) => {
      const read = () =>
        readEntityApplicationsQuery(entity('bad', annotations), INSTANCES);
      expect(read).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringContaining(
            `Annotation '${name}' of component:default/bad`,
          ),
        }),
      );
    },
  );

  it('says which annotations are missing', () => {
    expect(() =>
      readEntityApplicationsQuery(entity('plain', {}), INSTANCES),
    ).toThrow(
      /neither the 'argocd\/app-name' nor the 'argocd\/app-selector' annotation/,
    );
  });
});

describe('labelSelectorProblem', () => {
  it.each([
    'app=shop',
    'app==shop,env!=prod',
    'app.kubernetes.io/part-of=shop',
    'env in (dev,staging), !deprecated',
    'tier notin (batch)',
    'replicas>2',
    'app',
    'app=',
  ])('accepts %s', selector => {
    expect(labelSelectorProblem(selector)).toBeUndefined();
  });

  it.each([
    ['app=(x', /not a valid label value|expected/],
    ['=x', /expected a label key/],
    ['app in (a', /expected '\)'|expected ','/],
    ['app ~ x', /expected an operator/],
    ['Bad_Prefix.io/app=x', /invalid prefix/],
    ['replicas>two', /integer/],
  ])('explains what is wrong with %s', (selector, why) => {
    expect(labelSelectorProblem(selector)).toMatch(why);
  });
});

describe('EnvironmentResolver', () => {
  const resolver = EnvironmentResolver.fromConfig(
    new ConfigReader({
      praevisio: {
        environments: [
          { name: 'dev', namespacePattern: '*-dev' },
          { name: 'staging', clusterPattern: 'staging-*' },
          {
            name: 'prod',
            namespacePattern: '*-prod',
            clusterPattern: 'https://prod.*',
          },
        ],
      },
    }),
  );
  const app = (
    destination: Application['spec']['destination'],
    labels?: Record<string, string>,
  ): Application => ({
    metadata: { name: 'x', labels },
    spec: { destination },
  });

  it('takes the environment label first, then the first matching rule, else default', () => {
    expect(
      resolver.environmentOf(
        app({ namespace: 'a-dev' }, { 'praevisio.io/environment': 'qa' }),
      ),
    ).toBe('qa');
    expect(resolver.environmentOf(app({ namespace: 'a-dev' }))).toBe('dev');
    expect(
      resolver.environmentOf(app({ name: 'staging-eu', namespace: 'x' })),
    ).toBe('staging');
    expect(
      resolver.environmentOf(
        app({ server: 'https://prod.example.com', namespace: 'a-prod' }),
      ),
    ).toBe('prod');
    // Both patterns must match.
    expect(
      resolver.environmentOf(
        app({ server: 'https://dev.example.com', namespace: 'a-prod' }),
      ),
    ).toBe('default');
  });

  it('orders configured environments first, in config order', () => {
    expect(
      ['zeta', 'prod', 'default', 'dev', 'staging'].sort((a, b) =>
        resolver.compare(a, b),
      ),
    ).toEqual(['dev', 'staging', 'prod', 'default', 'zeta']);
  });
});
