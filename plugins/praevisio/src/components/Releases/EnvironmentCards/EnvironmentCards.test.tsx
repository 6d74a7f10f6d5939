import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  canaryRollout,
  makeEnvironment,
  makeOverview,
  SHA_NEW,
  SHA_PROD,
} from '../__testUtils__/fixtures';
import { EnvironmentCards } from './EnvironmentCards';

describe('EnvironmentCards', () => {
  it('shows every environment with revision, status, deployer, images and Argo CD link', async () => {
    await renderInTestApp(
      <EnvironmentCards environments={makeOverview().environments} />,
    );

    const dev = within(screen.getByRole('region', { name: 'dev environment' }));
    expect(dev.getByText(SHA_NEW.slice(0, 7))).toBeInTheDocument();
    expect(dev.getByText('Out of sync')).toBeInTheDocument();
    expect(dev.getByText('Progressing')).toBeInTheDocument();
    expect(dev.getByText(/by argo-bot/)).toBeInTheDocument();

    const prod = within(
      screen.getByRole('region', { name: 'prod environment' }),
    );
    expect(prod.getByText(SHA_PROD.slice(0, 7))).toBeInTheDocument();
    expect(prod.getByText('(target main)')).toBeInTheDocument();
    expect(prod.getByText('Synced')).toBeInTheDocument();
    expect(prod.getByText('Healthy')).toBeInTheDocument();
    expect(prod.getByText('5 minutes ago')).toBeInTheDocument();
    expect(prod.getByText(/by alice/)).toBeInTheDocument();
    expect(prod.getByText('ghcr.io/acme/payments:1.4.2')).toBeInTheDocument();
    expect(prod.getByRole('link', { name: /Open in Argo CD/ })).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/payments-prod',
    );
  });

  it('marks auto-synced applications only', async () => {
    await renderInTestApp(
      <EnvironmentCards environments={makeOverview().environments} />,
    );
    expect(screen.getAllByText('auto-sync')).toHaveLength(1);
  });

  it('shows a failed operation with its message', async () => {
    await renderInTestApp(
      <EnvironmentCards
        environments={[
          makeEnvironment({
            operationPhase: 'Failed',
            operationMessage: 'one or more objects failed to apply',
            healthStatus: 'Degraded',
          }),
        ]}
      />,
    );
    expect(screen.getByText('Last operation failed')).toBeInTheDocument();
    expect(
      screen.getByText('one or more objects failed to apply'),
    ).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
  });

  it('includes the rollout and the actions slot', async () => {
    await renderInTestApp(
      <EnvironmentCards
        environments={[makeEnvironment({ rollout: canaryRollout() })]}
        renderActions={env => <button>act on {env.environment}</button>}
      />,
    );
    expect(screen.getByText('Canary weight 20%')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'act on prod' }),
    ).toBeInTheDocument();
  });
});
