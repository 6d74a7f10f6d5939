import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { makeCanaryAnalysis } from '../__testUtils__/fixtures';
import { CanaryAnalysisView } from './CanaryAnalysisView';

describe('CanaryAnalysisView', () => {
  it('compares baseline and canary per metric with its classification', async () => {
    await renderInTestApp(
      <CanaryAnalysisView analysis={makeCanaryAnalysis()} />,
    );
    const table = within(screen.getByRole('table', { name: 'Canary metrics' }));

    const latency = within(table.getByText('latency_p95').closest('tr')!);
    expect(latency.getAllByRole('cell')[1]).toHaveTextContent('60 / 0.21');
    expect(latency.getAllByRole('cell')[2]).toHaveTextContent('60 / 0.22');
    expect(latency.getByText('Pass')).toBeInTheDocument();

    const errors = within(table.getByText('error_rate').closest('tr')!);
    const cells = errors.getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('critical');
    expect(cells[2]).toHaveTextContent('58 / 0.04');
    expect(cells[3]).toHaveTextContent('[0.03, 0.05]');
    expect(cells[4]).toHaveTextContent('0.039');
    expect(cells[5]).toHaveTextContent('40');
    expect(errors.getByText('High')).toBeInTheDocument();
  });

  it('shows the group scores and the final score and classification', async () => {
    await renderInTestApp(
      <CanaryAnalysisView analysis={makeCanaryAnalysis()} />,
    );
    const section = within(
      screen.getByRole('region', { name: 'Canary analysis prod' }),
    );
    expect(section.getByText('latency: 100')).toBeInTheDocument();
    expect(section.getByText('errors: 0')).toBeInTheDocument();
    expect(section.getByText('Fail')).toBeInTheDocument();
    expect(section.getByText('Score 50')).toBeInTheDocument();
    expect(
      section.getByText(/Critical metric error_rate is High/),
    ).toBeInTheDocument();
  });

  it('shows a dash where statistics could not be computed', async () => {
    const analysis = makeCanaryAnalysis();
    await renderInTestApp(
      <CanaryAnalysisView
        analysis={{
          ...analysis,
          metrics: [
            {
              ...analysis.metrics[0],
              classification: 'Nodata',
              canary: { count: 0 },
              statistics: {
                confidenceInterval: null,
                estimate: null,
                effectSize: null,
              },
            },
          ],
        }}
      />,
    );
    const cells = within(
      screen.getByText('latency_p95').closest('tr')!,
    ).getAllByRole('cell');
    expect(cells[2]).toHaveTextContent('0 / —');
    expect(cells[3]).toHaveTextContent('—');
    expect(cells[6]).toHaveTextContent('No data');
  });
});
