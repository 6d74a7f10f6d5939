import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeGateEvaluation } from '../__testUtils__/fixtures';
import { GateEvaluationDialog } from './GateEvaluationDialog';

describe('GateEvaluationDialog', () => {
  it('lists each objective with value, baseline, targets, status and points', async () => {
    await renderInTestApp(
      <GateEvaluationDialog
        evaluation={makeGateEvaluation()}
        onClose={jest.fn()}
      />,
    );
    const table = within(screen.getByRole('table', { name: 'Objectives' }));
    const row = table.getByText('Response time p95').closest('tr')!;
    const cells = within(row).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('response_time_p95');
    expect(cells[1]).toHaveTextContent('412.5');
    expect(cells[2]).toHaveTextContent('400');
    expect(cells[3]).toHaveTextContent('<=+10% (target 440)');
    expect(cells[3]).toHaveTextContent('<600 (target 600)');
    expect(cells[4]).toHaveTextContent('<=800 (target 800)');
    expect(cells[5]).toHaveTextContent('Pass');
    expect(cells[6]).toHaveTextContent('1');
    expect(screen.getByText(/Total score 100 of 100/)).toBeInTheDocument();
    expect(screen.getByText(/provider prometheus/)).toBeInTheDocument();
  });

  it('says when Keptn scored the gate, with its context as the link to the evidence', async () => {
    await renderInTestApp(
      <GateEvaluationDialog
        evaluation={makeGateEvaluation({
          provider: 'keptn',
          providerInstance: 'legacy',
          keptnContext: '6a3f1c2e-0000-4000-8000-000000000001',
        })}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByText(
        /scored by Keptn 'legacy' \(keptnContext 6a3f1c2e-0000-4000-8000-000000000001\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/provider prometheus/)).not.toBeInTheDocument();
  });

  it('shows why SLIs have no value and marks violated targets', async () => {
    const base = makeGateEvaluation();
    await renderInTestApp(
      <GateEvaluationDialog
        evaluation={makeGateEvaluation({
          result: 'errored',
          score: 0,
          message: 'No data for response_time_p95',
          indicatorResults: [
            {
              ...base.indicatorResults[0],
              status: 'fail',
              score: 0,
              value: {
                ...base.indicatorResults[0].value,
                success: false,
              },
              passTargets: [
                { criteria: '<600', targetValue: 600, violated: true },
              ],
            },
          ],
          values: { response_time_p95: null },
          errors: { response_time_p95: 'empty result from Prometheus' },
        })}
        onOverride={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    expect(
      within(screen.getByRole('list', { name: 'SLI errors' })).getByText(
        /empty result from Prometheus/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('<600 (target 600) — violated'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No data for response_time_p95'),
    ).toBeInTheDocument();
  });

  it('offers an override for a blocking evaluation', async () => {
    const onOverride = jest.fn();
    await renderInTestApp(
      <GateEvaluationDialog
        evaluation={makeGateEvaluation({ result: 'fail', score: 40 })}
        onOverride={onOverride}
        onClose={jest.fn()}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Override…' }));
    expect(onOverride).toHaveBeenCalled();
  });

  it('shows who overrode an evaluation and why, and offers no second override', async () => {
    await renderInTestApp(
      <GateEvaluationDialog
        evaluation={makeGateEvaluation({
          result: 'fail',
          override: {
            result: 'pass',
            reason: 'known upstream issue',
            by: 'user:default/alice',
            at: '2025-01-02T10:05:00Z',
          },
        })}
        onOverride={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByText(
        /Overridden to pass by user:default\/alice on .*: known upstream issue/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Override…' }),
    ).not.toBeInTheDocument();
  });
});
