import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { makeDeployment, responseError } from '../__testUtils__/fixtures';
import { DeploymentsTable } from './DeploymentsTable';

describe('DeploymentsTable', () => {
  it('lists commands with their state', async () => {
    await renderInTestApp(
      <DeploymentsTable
        loading={false}
        deployments={[
          makeDeployment({ id: 'a', kind: 'rollback', state: 'progressing' }),
          makeDeployment({
            id: 'b',
            kind: 'promote-full',
            state: 'failed',
            message: 'analysis failed',
          }),
        ]}
      />,
    );
    expect(
      screen.getByText('Commands issued via Praevisio'),
    ).toBeInTheDocument();
    expect(screen.getByText('Rollback')).toBeInTheDocument();
    expect(screen.getByText('Progressing')).toBeInTheDocument();
    expect(screen.getByText('Promote full')).toBeInTheDocument();
    expect(screen.getByText('Failed')).toBeInTheDocument();
    expect(screen.getByText('analysis failed')).toBeInTheDocument();
    expect(screen.getAllByText('user:default/alice')).toHaveLength(2);
  });

  it('says when nothing was issued yet', async () => {
    await renderInTestApp(
      <DeploymentsTable loading={false} deployments={[]} />,
    );
    expect(
      screen.getByText(/No sync, rollback or rollout command/),
    ).toBeInTheDocument();
  });

  it('shows progress before the first load', async () => {
    await renderInTestApp(<DeploymentsTable loading deployments={undefined} />);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows an error panel for other failures', async () => {
    await renderInTestApp(
      <DeploymentsTable
        loading={false}
        error={await responseError(500, 'database is down', 'Error')}
      />,
    );
    expect(screen.getAllByText(/database is down/).length).toBeGreaterThan(0);
  });
});
