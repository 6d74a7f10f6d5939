import { mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { KeptnClientRegistry } from './KeptnClientRegistry';
import { startFakeKeptn } from './__testUtils__/fakeKeptn';

describe('KeptnClientRegistry', () => {
  const instances = [
    { name: 'prod', url: 'https://keptn.example.com', apiToken: 'tok-prod' },
    {
      name: 'staging',
      url: 'https://keptn.staging.example.com/api',
      apiToken: 'tok-staging',
    },
  ];

  it('creates one client per configured instance, the first being the default', () => {
    const registry = KeptnClientRegistry.fromConfig(
      mockServices.rootConfig({
        data: { praevisio: { keptn: { instances } } },
      }),
    );
    expect(registry.isConfigured).toBe(true);
    expect(registry.instanceNames).toEqual(['prod', 'staging']);
    expect(registry.get().name).toBe('prod');
    expect(registry.get('staging').name).toBe('staging');
    expect(registry.list()).toHaveLength(2);
  });

  it('is valid without any instance, and says how to configure one', () => {
    const registry = KeptnClientRegistry.fromConfig(
      mockServices.rootConfig({ data: {} }),
    );
    expect(registry.isConfigured).toBe(false);
    expect(() => registry.get()).toThrow(NotFoundError);
    expect(() => registry.get()).toThrow(/praevisio.keptn.instances/);
  });

  it('refuses an unknown name, duplicates, a missing token and bad URLs', () => {
    const registry = KeptnClientRegistry.create({ instances });
    expect(() => registry.get('dev')).toThrow(
      "Keptn instance 'dev' is not configured (configured: prod, staging)",
    );
    expect(() =>
      KeptnClientRegistry.create({ instances: [instances[0], instances[0]] }),
    ).toThrow(InputError);
    expect(() =>
      KeptnClientRegistry.fromConfig(
        mockServices.rootConfig({
          data: {
            praevisio: {
              keptn: { instances: [{ name: 'x', url: 'https://k' }] },
            },
          },
        }),
      ),
    ).toThrow(/apiToken/);
    expect(() =>
      KeptnClientRegistry.create({
        instances: [{ name: 'x', url: 'ftp://keptn', apiToken: 't' }],
      }),
    ).toThrow(/only http and https/);
  });

  it('gives each instance a client that talks to its own URL with its own token', async () => {
    const keptn = await startFakeKeptn('tok-local');
    try {
      const registry = KeptnClientRegistry.fromConfig(
        mockServices.rootConfig({
          data: {
            praevisio: {
              keptn: {
                instances: [
                  { name: 'local', url: keptn.url, apiToken: 'tok-local' },
                ],
              },
            },
          },
        }),
      );
      const { keptnContext } = await registry
        .get('local')
        .triggerEvaluation({ project: 'shop', stage: 'prod', service: 'cart' });
      expect(keptnContext).toBeTruthy();
      expect(keptn.requests[0].headers['x-token']).toBe('tok-local');
    } finally {
      await keptn.close();
    }
  });
});
