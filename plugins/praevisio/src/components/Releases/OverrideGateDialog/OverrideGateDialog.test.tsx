import { renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeGateEvaluation, UUID } from '../__testUtils__/fixtures';
import { OverrideGateDialog } from './OverrideGateDialog';

const ALLOWED = { loading: false, allowed: true };

function renderDialog(
  overrides: Partial<Parameters<typeof OverrideGateDialog>[0]> = {},
) {
  const props = {
    evaluation: makeGateEvaluation({ result: 'fail', score: 40 }),
    permission: ALLOWED,
    deniedReason: 'Only owners of this component (team-payments) may override',
    onConfirm: jest.fn(async () => undefined),
    onClose: jest.fn(),
    ...overrides,
  };
  return renderInTestApp(<OverrideGateDialog {...props} />).then(() => props);
}

describe('OverrideGateDialog', () => {
  it('asks for a reason of at least 10 characters before it can be sent', async () => {
    await renderDialog();
    const confirm = screen.getByRole('button', { name: 'Override gate' });
    expect(confirm).toBeDisabled();

    await userEvent.type(screen.getByLabelText(/Reason/), 'too short');
    expect(
      screen.getByText('Write at least 10 characters (9 so far)'),
    ).toBeInTheDocument();
    expect(confirm).toBeDisabled();

    await userEvent.type(screen.getByLabelText(/Reason/), '!');
    expect(screen.queryByText(/Write at least 10/)).not.toBeInTheDocument();
    expect(confirm).toBeEnabled();
  });

  it('sends one override with one idempotency key when clicked twice', async () => {
    let finish!: () => void;
    const onConfirm = jest.fn(
      () => new Promise<void>(resolve => (finish = resolve)),
    );
    const props = await renderDialog({ onConfirm });
    await userEvent.type(
      screen.getByLabelText(/Reason/),
      '  Latency spike is a known upstream issue  ',
    );
    const confirm = screen.getByRole('button', { name: 'Override gate' });
    // Both clicks land before React re-renders the button as disabled.
    act(() => {
      confirm.click();
      confirm.click();
    });
    expect(onConfirm).toHaveBeenCalledTimes(1);
    finish();

    await waitFor(() => expect(props.onClose).toHaveBeenCalled());
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledWith(
      { reason: 'Latency spike is a known upstream issue' },
      expect.stringMatching(UUID),
    );
  });

  it('explains why the user may not override and allows nothing', async () => {
    const props = await renderDialog({
      permission: { loading: false, allowed: false },
    });
    expect(
      screen.getByText(
        'Only owners of this component (team-payments) may override',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Reason/)).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Override gate' }),
    ).toBeDisabled();
    expect(props.onConfirm).not.toHaveBeenCalled();
  });
});
