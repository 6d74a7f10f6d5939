import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  makeCanaryAnalysis,
  makeEnvironment,
  makeGateDecision,
  makeGateEvaluation,
  makeGatesOverview,
  UUID,
} from '../__testUtils__/fixtures';
import {
  NO_EVALUATIONS_TEXT,
  QualityGatesSection,
  QualityGatesSectionProps,
} from './QualityGatesSection';

const ALLOWED = { loading: false, allowed: true };
const DENIED = { loading: false, allowed: false };

function renderSection(overrides: Partial<QualityGatesSectionProps> = {}) {
  const props: QualityGatesSectionProps = {
    environments: [makeEnvironment()],
    overview: makeGatesOverview(),
    loading: false,
    unavailable: false,
    evaluatePermission: ALLOWED,
    overridePermission: ALLOWED,
    deniedReasons: {
      evaluate: 'Only owners may evaluate quality gates',
      override: 'Only owners may override quality gates',
    },
    onEvaluate: jest.fn(async () => undefined),
    onOverride: jest.fn(async () => undefined),
    ...overrides,
  };
  return renderInTestApp(<QualityGatesSection {...props} />).then(() => props);
}

describe('QualityGatesSection', () => {
  it('says how gates come about when there are no evaluations yet', async () => {
    await renderSection();
    expect(screen.getByText(NO_EVALUATIONS_TEXT)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Evaluate now' })).toBeEnabled();
  });

  it('says gates are not available when the backend has no gate routes', async () => {
    await renderSection({ overview: undefined, unavailable: true });
    expect(
      screen.getByText('Quality gates are not available'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Evaluate now' }),
    ).not.toBeInTheDocument();
  });

  it('evaluates an environment with a fresh idempotency key per click', async () => {
    const props = await renderSection();
    const button = screen.getByRole('button', { name: 'Evaluate now' });
    await userEvent.click(button);
    await waitFor(() => expect(props.onEvaluate).toHaveBeenCalledTimes(1));
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Evaluate now' }),
      ).toBeEnabled(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Evaluate now' }));
    await waitFor(() => expect(props.onEvaluate).toHaveBeenCalledTimes(2));
    const calls = (props.onEvaluate as jest.Mock).mock.calls;
    expect(calls[0][0]).toEqual({
      environment: 'prod',
      application: 'payments-prod',
    });
    expect(calls[0][1]).toMatch(UUID);
    expect(calls[1][1]).not.toBe(calls[0][1]);
  });

  it('disables Evaluate now with the reason when the user may not deploy', async () => {
    await renderSection({ evaluatePermission: DENIED });
    const button = screen.getByRole('button', { name: 'Evaluate now' });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute(
      'aria-description',
      'Only owners may evaluate quality gates',
    );
  });

  it('opens the latest evaluation and overrides it through the dialog', async () => {
    const props = await renderSection({
      overview: makeGatesOverview({
        evaluations: [
          makeGateEvaluation({
            id: 'ev-old',
            result: 'pass',
            createdAt: '2025-01-01T10:00:00Z',
          }),
          makeGateEvaluation({ id: 'ev-2', result: 'fail', score: 40 }),
        ],
        canaryAnalyses: [makeCanaryAnalysis()],
        decisions: [makeGateDecision({ gateEvaluationId: 'ev-2' })],
      }),
    });
    const prod = within(
      screen.getByRole('region', { name: 'prod quality gate' }),
    );
    expect(prod.getByText('Fail 40')).toBeInTheDocument();
    expect(
      prod.getByRole('region', { name: 'Canary analysis prod' }),
    ).toBeInTheDocument();

    await userEvent.click(prod.getByRole('button', { name: 'Details' }));
    await userEvent.click(screen.getByRole('button', { name: 'Override…' }));
    await userEvent.type(
      screen.getByLabelText(/Reason/),
      'Known upstream latency issue',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Override gate' }),
    );
    await waitFor(() =>
      expect(props.onOverride).toHaveBeenCalledWith(
        'ev-2',
        { reason: 'Known upstream latency issue' },
        expect.stringMatching(UUID),
      ),
    );
  });

  it('shows the permission reason in the override dialog when not permitted', async () => {
    await renderSection({
      overridePermission: DENIED,
      overview: makeGatesOverview({
        evaluations: [makeGateEvaluation({ result: 'errored', score: 0 })],
      }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Details' }));
    await userEvent.click(screen.getByRole('button', { name: 'Override…' }));
    expect(
      screen.getByText('Only owners may override quality gates'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Override gate' }),
    ).toBeDisabled();
  });
});
