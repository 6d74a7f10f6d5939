import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { canaryRollout, SHA_NEW, SHA_PROD } from '../__testUtils__/fixtures';
import { RolloutProgress } from './RolloutProgress';

describe('RolloutProgress', () => {
  it('highlights the current canary step and shows the traffic weight', async () => {
    await renderInTestApp(<RolloutProgress rollout={canaryRollout()} />);

    const steps = within(screen.getByRole('list', { name: 'Canary steps' }));
    const current = steps
      .getAllByRole('listitem')
      .filter(item => item.getAttribute('aria-current') === 'step');
    expect(current).toHaveLength(1);
    expect(current[0]).toHaveTextContent('2. Pause indefinite');
    expect(current[0]).toHaveTextContent('current step');

    expect(screen.getByText('Canary weight 20%')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Canary weight 20%' }),
    ).toHaveAttribute('aria-valuenow', '20');
  });

  it('explains why the rollout paused and how its analysis is doing', async () => {
    await renderInTestApp(
      <RolloutProgress
        rollout={canaryRollout({
          pauseReasons: ['InconclusiveAnalysisRun', 'SomethingNew'],
          analysisRun: { name: 'payments-7f9-2', phase: 'Inconclusive' },
        })}
      />,
    );
    expect(
      screen.getByText('Analysis inconclusive: a human decides'),
    ).toBeInTheDocument();
    expect(screen.getByText('Something new')).toBeInTheDocument();
    expect(screen.getByText('payments-7f9-2')).toBeInTheDocument();
    expect(screen.getByText('Inconclusive')).toBeInTheDocument();
    expect(screen.getByText('Paused')).toBeInTheDocument();
  });

  it('marks an aborted rollout', async () => {
    await renderInTestApp(
      <RolloutProgress
        rollout={canaryRollout({ aborted: true, phase: 'Degraded' })}
      />,
    );
    expect(screen.getByText('Aborted')).toBeInTheDocument();
  });

  it('shows active and preview of a paused blue-green rollout', async () => {
    await renderInTestApp(
      <RolloutProgress
        rollout={canaryRollout({
          strategy: 'blueGreen',
          steps: [],
          currentStepIndex: undefined,
          canaryWeight: undefined,
          pauseReasons: ['BlueGreenPause'],
          analysisRun: undefined,
          activeSelector: 'payments-7d9f',
          previewSelector: 'payments-5c4b',
        })}
      />,
    );
    expect(screen.getByText(/Blue-green rollout/)).toBeInTheDocument();
    expect(screen.getByText('payments-7d9f')).toBeInTheDocument();
    expect(screen.getByText('payments-5c4b')).toBeInTheDocument();
    expect(
      screen.getByText(new RegExp(SHA_PROD.slice(0, 7))),
    ).toBeInTheDocument();
    expect(
      screen.getByText(new RegExp(SHA_NEW.slice(0, 7))),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Preview is up, waiting for promotion'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});
