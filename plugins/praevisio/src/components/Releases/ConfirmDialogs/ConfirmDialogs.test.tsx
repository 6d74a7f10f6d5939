import { renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  canaryRollout,
  makeDeployment,
  makeEnvironment,
  responseError,
  SHA_NEW,
  SHA_PREV,
  SHA_PROD,
  UUID,
} from '../__testUtils__/fixtures';
import { RollbackDialog } from './RollbackDialog';
import { RolloutCommandDialog } from './RolloutCommandDialog';
import { SyncDialog } from './SyncDialog';

function revisionChange() {
  return within(screen.getByTestId('revision-change'));
}

/** A promise the test settles, to hold a request "in flight". */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SyncDialog', () => {
  it('shows from → to and defaults to the target revision', async () => {
    await renderInTestApp(
      <SyncDialog
        environment={makeEnvironment()}
        onPreview={jest.fn()}
        onConfirm={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByRole('dialog', { name: 'Sync payments-prod (prod)' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Revision')).toHaveValue('main');
    expect(
      revisionChange().getByLabelText(`from revision ${SHA_PROD}`),
    ).toHaveTextContent(SHA_PROD.slice(0, 7));
    expect(
      revisionChange().getByLabelText('to revision main'),
    ).toBeInTheDocument();
  });

  it('sends one request with one idempotency key when Sync is clicked twice', async () => {
    const pending = deferred<unknown>();
    const onConfirm = jest.fn(() => pending.promise);
    const onClose = jest.fn();
    await renderInTestApp(
      <SyncDialog
        environment={makeEnvironment()}
        onPreview={jest.fn()}
        onConfirm={onConfirm}
        onClose={onClose}
      />,
    );
    await userEvent.clear(screen.getByLabelText('Revision'));
    await userEvent.type(screen.getByLabelText('Revision'), SHA_NEW);
    expect(
      revisionChange().getByLabelText(`to revision ${SHA_NEW}`),
    ).toBeInTheDocument();

    // Both clicks land before React re-renders the button as disabled.
    const sync = screen.getByRole('button', { name: 'Sync' });
    act(() => {
      sync.click();
      sync.click();
    });

    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledWith(
      { revision: SHA_NEW },
      expect.stringMatching(UUID),
    );
    pending.resolve(makeDeployment());
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('retries a request that failed in transit with the same key', async () => {
    const onConfirm = jest
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(makeDeployment());
    const onClose = jest.fn();
    await renderInTestApp(
      <SyncDialog
        environment={makeEnvironment()}
        onPreview={jest.fn()}
        onConfirm={onConfirm}
        onClose={onClose}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Failed to fetch',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onConfirm.mock.calls[1][1]).toBe(onConfirm.mock.calls[0][1]);
  });

  it('shows a refusal and treats the next attempt as a new intent', async () => {
    const onConfirm = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(409, 'another operation is already in progress'),
      )
      .mockResolvedValueOnce(makeDeployment());
    await renderInTestApp(
      <SyncDialog
        environment={makeEnvironment()}
        onPreview={jest.fn()}
        onConfirm={onConfirm}
        onClose={jest.fn()}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'another operation is already in progress',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sync' }));
    await waitFor(() => expect(onConfirm).toHaveBeenCalledTimes(2));
    expect(onConfirm.mock.calls[1][1]).not.toBe(onConfirm.mock.calls[0][1]);
  });

  it('previews the resources a sync would change', async () => {
    const onPreview = jest.fn(async () => ({
      application: 'payments-prod',
      fromRevision: SHA_PROD,
      toRevision: SHA_NEW,
      resources: [
        {
          kind: 'Deployment',
          group: 'apps',
          namespace: 'payments',
          name: 'payments',
          status: 'OutOfSync',
        },
        {
          kind: 'ConfigMap',
          namespace: 'payments',
          name: 'payments-config',
          status: 'OutOfSync',
        },
      ],
    }));
    await renderInTestApp(
      <SyncDialog
        environment={makeEnvironment()}
        onPreview={onPreview}
        onConfirm={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview changes' }),
    );
    const list = within(
      await screen.findByRole('list', { name: 'Resources that would change' }),
    );
    expect(onPreview).toHaveBeenCalledWith('main');
    expect(
      list.getByText('Deployment.apps payments/payments'),
    ).toBeInTheDocument();
    expect(
      list.getByText('ConfigMap payments/payments-config'),
    ).toBeInTheDocument();
    // The preview resolved the branch to a commit.
    expect(
      revisionChange().getByLabelText(`to revision ${SHA_NEW}`),
    ).toBeInTheDocument();
  });
});

describe('RollbackDialog', () => {
  it('offers earlier history entries and shows from → to', async () => {
    const onConfirm = jest.fn(async () => makeDeployment());
    await renderInTestApp(
      <RollbackDialog
        environment={makeEnvironment()}
        onConfirm={onConfirm}
        onClose={jest.fn()}
      />,
    );
    // The running revision (#12) is not a rollback target.
    expect(screen.getAllByRole('radio')).toHaveLength(1);
    expect(screen.getByRole('radio', { name: /history #11/ })).toBeChecked();
    expect(
      revisionChange().getByLabelText(`from revision ${SHA_PROD}`),
    ).toBeInTheDocument();
    expect(
      revisionChange().getByLabelText(`to revision ${SHA_PREV}`),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(onConfirm).toHaveBeenCalledWith(
      { historyId: 11 },
      expect.stringMatching(UUID),
    );
  });

  it('offers to disable auto-sync when Argo CD refuses the rollback', async () => {
    const onConfirm = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(
          409,
          'rollback cannot be initiated when auto-sync is enabled',
        ),
      )
      .mockResolvedValueOnce(
        makeDeployment({ kind: 'disable-auto-sync-and-rollback' }),
      );
    const onClose = jest.fn();
    await renderInTestApp(
      <RollbackDialog
        environment={makeEnvironment({ autoSync: true })}
        onConfirm={onConfirm}
        onClose={onClose}
      />,
    );
    expect(
      screen.queryByRole('button', { name: 'Disable auto-sync and roll back' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'rollback cannot be initiated when auto-sync is enabled',
    );
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Disable auto-sync and roll back' }),
    );
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onConfirm).toHaveBeenCalledTimes(2);
    expect(onConfirm.mock.calls[1][0]).toEqual({
      historyId: 11,
      disableAutoSync: true,
    });
    expect(onConfirm.mock.calls[1][1]).toMatch(UUID);
    expect(onConfirm.mock.calls[1][1]).not.toBe(onConfirm.mock.calls[0][1]);
  });
});

describe('RolloutCommandDialog', () => {
  it('aborting goes from the canary back to the stable revision', async () => {
    const onConfirm = jest.fn(async () => makeDeployment());
    await renderInTestApp(
      <RolloutCommandDialog
        environment={makeEnvironment({ rollout: canaryRollout() })}
        command="abort"
        onConfirm={onConfirm}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByText(/send all traffic back to the stable revision/),
    ).toBeInTheDocument();
    expect(
      revisionChange().getByLabelText(`from revision ${SHA_NEW}`),
    ).toBeInTheDocument();
    expect(
      revisionChange().getByLabelText(`to revision ${SHA_PROD}`),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Abort' }));
    expect(onConfirm).toHaveBeenCalledWith(
      { action: 'abort' },
      expect.stringMatching(UUID),
    );
  });
});
