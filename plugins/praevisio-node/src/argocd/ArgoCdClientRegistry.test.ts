import { mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { ArgoCdClientRegistry } from './ArgoCdClientRegistry';
import { startFakeArgoCd } from './__testUtils__/fakeArgoCd';

describe('ArgoCdClientRegistry', () => {
  const instances = [
    { name: 'prod', url: 'https://argocd.example.com', token: 'tok-prod-123' },
    {
      name: 'staging',
      url: 'https://argocd.staging.example.com',
      username: 'praevisio',
      password: 'pw-staging',
      frontendUrl: 'https://ui.staging.example.com',
    },
  ];

  it('creates one client per configured instance, the first being the default', () => {
    const registry = ArgoCdClientRegistry.fromConfig(
      mockServices.rootConfig({
        data: { praevisio: { argocd: { instances } } },
      }),
    );
    expect(registry.isConfigured).toBe(true);
    expect(registry.instanceNames).toEqual(['prod', 'staging']);
    expect(registry.get().instanceName).toBe('prod');
    expect(registry.get('staging').instanceName).toBe('staging');
    expect(registry.get('staging').applicationWebUrl('shop')).toBe(
      'https://ui.staging.example.com/applications/shop',
    );
    expect(registry.list()).toHaveLength(2);
  });

  it('is valid without any instance, and says how to configure one', () => {
    const registry = ArgoCdClientRegistry.fromConfig(
      mockServices.rootConfig({ data: {} }),
    );
    expect(registry.isConfigured).toBe(false);
    expect(() => registry.get()).toThrow(NotFoundError);
    expect(() => registry.get()).toThrow(/praevisio.argocd.instances/);
  });

  it('refuses an unknown instance name', () => {
    const registry = ArgoCdClientRegistry.create({ instances });
    expect(() => registry.get('dev')).toThrow(
      "Argo CD instance 'dev' is not configured (configured: prod, staging)",
    );
  });

  it('refuses duplicate names and invalid URLs', () => {
    expect(() =>
      ArgoCdClientRegistry.create({ instances: [instances[0], instances[0]] }),
    ).toThrow(InputError);
    expect(() =>
      ArgoCdClientRegistry.fromConfig(
        mockServices.rootConfig({
          data: {
            praevisio: {
              argocd: { instances: [{ name: 'x', url: 'ftp://argocd' }] },
            },
          },
        }),
      ),
    ).toThrow(/only http and https/);
  });

  it('gives each instance its own client that talks to its own URL', async () => {
    const fake = await startFakeArgoCd({ token: 'tok-local-123' });
    try {
      const registry = ArgoCdClientRegistry.fromConfig(
        mockServices.rootConfig({
          data: {
            praevisio: {
              argocd: {
                instances: [
                  { name: 'local', url: fake.url, token: 'tok-local-123' },
                ],
              },
            },
          },
        }),
      );
      await expect(
        registry.get('local').listApplications(),
      ).resolves.toHaveLength(1);
      expect(fake.requests[0].headers.authorization).toBe(
        'Bearer tok-local-123',
      );
    } finally {
      await fake.close();
    }
  });
});
