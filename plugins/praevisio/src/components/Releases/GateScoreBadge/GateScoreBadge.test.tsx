import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { makeGateEvaluation } from '../__testUtils__/fixtures';
import { GateScoreBadge } from './GateScoreBadge';

async function renderBadges() {
  await renderInTestApp(
    <>
      <GateScoreBadge
        evaluation={makeGateEvaluation({ result: 'pass', score: 95 })}
      />
      <GateScoreBadge
        evaluation={makeGateEvaluation({ result: 'warning', score: 80 })}
      />
      <GateScoreBadge
        evaluation={makeGateEvaluation({ result: 'fail', score: 40 })}
      />
      <GateScoreBadge
        evaluation={makeGateEvaluation({ result: 'errored', score: 0 })}
      />
    </>,
  );
  const chip = (label: string) =>
    screen.getByText(label).closest('[data-result]') as HTMLElement;
  return {
    pass: chip('Pass 95'),
    warning: chip('Warning 80'),
    fail: chip('Fail 40'),
    errored: chip('Errored · no score'),
  };
}

describe('GateScoreBadge', () => {
  it('shows the score with the result as text', async () => {
    const chips = await renderBadges();
    expect(chips.pass).toHaveAttribute('data-result', 'pass');
    expect(chips.warning).toHaveAttribute('data-result', 'warning');
    expect(chips.fail).toHaveAttribute('data-result', 'fail');
    expect(chips.errored).toHaveAttribute('data-result', 'errored');
  });

  it('colours pass, warning and fail differently and errored like fail', async () => {
    const chips = await renderBadges();
    const pass = chips.pass.style.backgroundColor;
    const warning = chips.warning.style.backgroundColor;
    const fail = chips.fail.style.backgroundColor;
    expect(pass).not.toBe('');
    expect(new Set([pass, warning, fail]).size).toBe(3);
    // Errored is outlined in the failure colour, so it reads differently.
    expect(chips.errored.style.backgroundColor).toBe('');
    expect(chips.errored.style.borderColor).toBe(fail);
    expect(chips.errored.style.color).toBe(fail);
  });

  it('explains that an errored gate blocks like a failure', async () => {
    await renderBadges();
    expect(
      screen.getByLabelText(
        /Quality gate Errored · no score\. .*blocks like a failure/,
      ),
    ).toBeInTheDocument();
  });

  it('shows an override as a pass that remembers the original result', async () => {
    await renderInTestApp(
      <GateScoreBadge
        evaluation={makeGateEvaluation({
          result: 'fail',
          score: 40,
          override: {
            result: 'pass',
            reason: 'known upstream issue',
            by: 'user:default/alice',
            at: '2025-01-02T10:05:00Z',
          },
        })}
      />,
    );
    const chip = screen
      .getByText('Overridden (was Fail 40)')
      .closest('[data-result]');
    expect(chip).toHaveAttribute('data-result', 'pass');
  });
});
