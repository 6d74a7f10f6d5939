import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeGateDecision } from '../__testUtils__/fixtures';
import { GateDecisionsList } from './GateDecisionsList';

describe('GateDecisionsList', () => {
  it('shows what was decided, by whom, why, and links to the evidence', async () => {
    const onShowEvaluation = jest.fn();
    const onShowCanaryAnalysis = jest.fn();
    await renderInTestApp(
      <GateDecisionsList
        decisions={[
          makeGateDecision(),
          makeGateDecision({
            id: 'dec-2',
            decision: 'promote',
            decidedBy: 'user:default/alice',
            reason: 'Manual promotion after review',
            gateEvaluationId: undefined,
            canaryAnalysisId: undefined,
          }),
        ]}
        onShowEvaluation={onShowEvaluation}
        onShowCanaryAnalysis={onShowCanaryAnalysis}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Gate decisions' }),
    ).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      /Abort prod \(payments-prod\) by Praevisio \(automatic\)/,
    );
    expect(items[0]).toHaveTextContent(
      'Canary analysis failed: error_rate High',
    );
    expect(items[0].querySelector('time')).toHaveAttribute(
      'datetime',
      '2025-01-02T10:00:12Z',
    );
    expect(items[1]).toHaveTextContent(
      /Promote prod \(payments-prod\) by alice/,
    );
    expect(within(items[1]).queryByRole('button')).not.toBeInTheDocument();

    await userEvent.click(
      within(items[0]).getByRole('button', { name: 'Gate evaluation' }),
    );
    expect(onShowEvaluation).toHaveBeenCalledWith('ev-1');
    await userEvent.click(
      within(items[0]).getByRole('button', { name: 'Canary analysis' }),
    );
    expect(onShowCanaryAnalysis).toHaveBeenCalledWith('ca-1');
  });

  it('says when nothing has been decided yet', async () => {
    await renderInTestApp(<GateDecisionsList decisions={[]} />);
    expect(
      screen.getByText(/No promote, abort or pause decision/),
    ).toBeInTheDocument();
  });

  it('says when an automatic command was given up and a human must act', async () => {
    await renderInTestApp(
      <GateDecisionsList
        decisions={[
          makeGateDecision({
            actionFailed: {
              attempts: 5,
              error: 'Rollout payments is not paused',
            },
          }),
          makeGateDecision({ id: 'dec-2' }),
        ]}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Gate decisions' }),
    ).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'The automatic abort gave up after 5 failed attempts (Rollout payments is not paused): a human must act.',
    );
    expect(items[1]).not.toHaveTextContent(/gave up/);
  });
});
