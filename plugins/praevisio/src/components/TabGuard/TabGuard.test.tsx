import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { IntegrationStatus } from '@praevisio/backstage-plugin-common';
import { PraevisioApi, praevisioApiRef } from '../../api/PraevisioApi';
import { TabGuard } from './TabGuard';

const entity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', annotations },
  spec: { owner: 'team-payments' },
});

const integrations = (configured: boolean): IntegrationStatus[] => [
  {
    name: 'argocd',
    configured,
    instances: configured ? ['main'] : [],
    howToConfigure: 'Add praevisio.argocd.instances[] to app-config.yaml.',
  },
];

function renderGuard(e: Entity, api: Partial<PraevisioApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[praevisioApiRef, api]]}>
      <EntityProvider entity={e}>
        <TabGuard tab="releases" requires={['argocd']}>
          <div>release content</div>
        </TabGuard>
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('TabGuard', () => {
  it('names the annotations that enable the tab when none is present', async () => {
    await renderGuard(entity(), {
      getIntegrations: async () => integrations(true),
    });
    expect(screen.getAllByText(/argocd\/app-name/).length).toBeGreaterThan(0);
    expect(screen.queryByText('release content')).not.toBeInTheDocument();
  });

  it('says how to configure the integration when it is missing', async () => {
    await renderGuard(entity({ 'argocd/app-name': 'payments-api-prod' }), {
      getIntegrations: async () => integrations(false),
    });
    expect(
      await screen.findByText('argocd is not configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/praevisio\.argocd\.instances/),
    ).toBeInTheDocument();
  });

  it('shows the content when the entity is annotated and the integration configured', async () => {
    await renderGuard(entity({ 'argocd/app-selector': 'app=payments' }), {
      getIntegrations: async () => integrations(true),
    });
    expect(await screen.findByText('release content')).toBeInTheDocument();
  });

  it('shows the backend error when integrations cannot be loaded', async () => {
    await renderGuard(entity({ 'argocd/app-name': 'x' }), {
      getIntegrations: async () => {
        throw new Error('backend exploded');
      },
    });
    expect(
      (await screen.findAllByText(/backend exploded/)).length,
    ).toBeGreaterThan(0);
  });
});
