import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  makeDeployment,
  makeEntity,
  makeEnvironment,
  makeGateEvaluation,
  makeGatesOverview,
  makeOverview,
  mockAlertApi,
  mockPraevisioApi,
  permissionApi,
  renderReleases,
  responseError,
  SHA_NEW,
  SHA_PROD,
  UUID,
} from '../__testUtils__/fixtures';
import { ReleasesView } from './ReleasesView';

const REF = 'component:default/payments';

describe('ReleasesView', () => {
  it('shows environments side by side, the commands issued and the history', async () => {
    const api = mockPraevisioApi();
    await renderReleases(<ReleasesView />, { api });

    expect(
      await screen.findByRole('region', { name: 'dev environment' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'prod environment' }),
    ).toBeInTheDocument();
    expect(screen.getByText(SHA_NEW.slice(0, 7))).toBeInTheDocument();
    expect(
      screen.getByText('Commands issued via Praevisio'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Release history')).toBeInTheDocument();
    expect(api.getReleases).toHaveBeenCalledWith(REF);
    expect(api.getDeployments).toHaveBeenCalledWith(REF, { limit: 20 });
    expect(api.getReleaseHistory).toHaveBeenCalledWith(REF, {
      application: undefined,
      page: 0,
      pageSize: 10,
    });
  });

  it('shows the last known state with a warning when Argo CD is unreachable', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () =>
        makeOverview({
          stale: true,
          staleReason: 'connect ECONNREFUSED argocd.example.com:443',
          fetchedAt: '2025-01-02T10:00:00Z',
        }),
      ),
    });
    await renderReleases(<ReleasesView />, { api });

    expect(
      await screen.findByText(
        /Showing the last known state: Argo CD unreachable since/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connect ECONNREFUSED argocd.example.com:443/),
    ).toBeInTheDocument();
    // The data is still there.
    expect(
      screen.getByRole('region', { name: 'prod environment' }),
    ).toBeInTheDocument();
  });

  it('lists applications that could not be read', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () =>
        makeOverview({
          problems: [
            {
              instance: 'main',
              application: 'payments-eu',
              message: 'permission denied',
            },
          ],
        }),
      ),
    });
    await renderReleases(<ReleasesView />, { api });
    expect(
      await screen.findByText(/1 application\(s\) could not be read/),
    ).toBeInTheDocument();
  });

  it('explains malformed annotations (400) in a warning panel', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () => {
        throw await responseError(
          400,
          'argocd/app-selector: "app in (" is not a valid label selector',
          'InputError',
        );
      }),
    });
    await renderReleases(<ReleasesView />, { api });
    expect(
      await screen.findByText(/Argo CD annotations are not valid/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'argocd/app-selector: "app in (" is not a valid label selector',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the user may not read releases (403)', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () => {
        throw await responseError(403, 'not allowed', 'NotAllowedError');
      }),
    });
    await renderReleases(<ReleasesView />, { api });
    expect(
      await screen.findByText('You are not allowed to see releases'),
    ).toBeInTheDocument();
  });

  it('shows progress until the first load', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(() => new Promise(() => {})),
    });
    await renderReleases(<ReleasesView />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains how to find applications when there are none', async () => {
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () => makeOverview({ environments: [] })),
    });
    await renderReleases(<ReleasesView />, { api });
    expect(
      await screen.findByText(
        'No Argo CD applications found for this component',
      ),
    ).toBeInTheDocument();
  });

  it('pages the history on the server', async () => {
    const api = mockPraevisioApi();
    await renderReleases(<ReleasesView />, { api });
    await screen.findByText('commit message 0');

    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));

    await waitFor(() =>
      expect(api.getReleaseHistory).toHaveBeenLastCalledWith(REF, {
        application: undefined,
        page: 1,
        pageSize: 10,
      }),
    );
    expect(await screen.findByText('commit message 10')).toBeInTheDocument();
  });

  it('disables deploying for non-owners with the reason', async () => {
    const entity = makeEntity('payments-readonly');
    await renderReleases(<ReleasesView />, {
      entity,
      permissions: permissionApi(['praevisio.release.deploy']),
    });
    const prod = within(
      await screen.findByRole('group', { name: 'Actions for prod' }),
    );
    await waitFor(() =>
      expect(prod.getByRole('button', { name: 'Roll back…' })).toBeEnabled(),
    );
    const sync = prod.getByRole('button', { name: 'Sync…' });
    expect(sync).toBeDisabled();
    await userEvent.hover(sync.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Only owners of this component (team-payments) may deploy',
    );
  });

  it('shows the 409 refusal of a sync in the dialog', async () => {
    const api = mockPraevisioApi({
      sync: jest.fn(async () => {
        throw await responseError(
          409,
          'another operation is already in progress',
        );
      }),
    });
    await renderReleases(<ReleasesView />, { api });
    const prod = within(
      await screen.findByRole('group', { name: 'Actions for prod' }),
    );
    await waitFor(() =>
      expect(prod.getByRole('button', { name: 'Sync…' })).toBeEnabled(),
    );
    await userEvent.click(prod.getByRole('button', { name: 'Sync…' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Sync' }));

    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'another operation is already in progress',
    );
    expect(api.sync).toHaveBeenCalledWith(
      REF,
      'payments-prod',
      { revision: 'main' },
      expect.stringMatching(UUID),
    );
  });

  it('rolls back after disabling auto-sync when the user confirms it explicitly', async () => {
    const overview = makeOverview({
      environments: [makeEnvironment({ autoSync: true })],
    });
    const api = mockPraevisioApi({
      getReleases: jest.fn(async () => overview),
      rollback: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(
            409,
            'rollback cannot be initiated when auto-sync is enabled',
          ),
        )
        .mockResolvedValueOnce(
          makeDeployment({
            kind: 'disable-auto-sync-and-rollback',
            state: 'requested',
          }),
        ),
    });
    const alertApi = mockAlertApi();
    await renderReleases(<ReleasesView />, { api, alertApi });

    const prod = within(
      await screen.findByRole('group', { name: 'Actions for prod' }),
    );
    await waitFor(() =>
      expect(prod.getByRole('button', { name: 'Roll back…' })).toBeEnabled(),
    );
    await userEvent.click(prod.getByRole('button', { name: 'Roll back…' }));
    const dialog = within(screen.getByRole('dialog'));
    expect(
      dialog.getByLabelText(`from revision ${SHA_PROD}`),
    ).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Roll back' }));
    await userEvent.click(
      await dialog.findByRole('button', {
        name: 'Disable auto-sync and roll back',
      }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.rollback).toHaveBeenNthCalledWith(
      1,
      REF,
      'payments-prod',
      { historyId: 11 },
      expect.stringMatching(UUID),
    );
    expect(api.rollback).toHaveBeenNthCalledWith(
      2,
      REF,
      'payments-prod',
      { historyId: 11, disableAutoSync: true },
      expect.stringMatching(UUID),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
    // The view re-reads to show the new state.
    await waitFor(() => expect(api.getReleases).toHaveBeenCalledTimes(2));
  });

  it('reloads when the backend signals a change', async () => {
    let deliver: (message: object) => void = () => {};
    const signalApi = {
      subscribe: jest.fn((channel: string, onMessage: (m: object) => void) => {
        expect(channel).toBe(`praevisio:releases:${REF}`);
        deliver = onMessage;
        return { unsubscribe: jest.fn() };
      }),
    };
    const api = mockPraevisioApi();
    await renderReleases(<ReleasesView />, {
      api,
      extraApis: [[signalApiRef, signalApi]],
    });
    await screen.findByRole('region', { name: 'prod environment' });
    expect(screen.getByText(/Live updates/)).toBeInTheDocument();
    expect(api.getReleases).toHaveBeenCalledTimes(1);

    api.getReleases.mockResolvedValueOnce(
      makeOverview({
        environments: [makeEnvironment({ lastDeployedBy: 'bob' })],
      }),
    );
    act(() => deliver({ type: 'deployment', state: 'succeeded' }));

    expect(await screen.findByText(/by bob/)).toBeInTheDocument();
    expect(api.getReleases).toHaveBeenCalledTimes(2);
  });

  it('shows quality gates below the environments with badges on cards and commands', async () => {
    const api = mockPraevisioApi({
      getGates: jest.fn(async () =>
        makeGatesOverview({
          evaluations: [
            makeGateEvaluation({
              result: 'warning',
              score: 80,
              deploymentId: 'd-1',
            }),
          ],
        }),
      ),
    });
    await renderReleases(<ReleasesView />, { api });

    const prodCard = within(
      await screen.findByRole('region', { name: 'prod environment' }),
    );
    expect(await prodCard.findByText('Warning 80')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'dev environment' }),
      ).queryByText(/Warning 80/),
    ).not.toBeInTheDocument();
    const gates = within(
      screen.getByRole('region', { name: 'prod quality gate' }),
    );
    expect(gates.getByText('Warning 80')).toBeInTheDocument();
    // The deployment the evaluation judged shows it in its row.
    const inRows = screen
      .getAllByText('Warning 80')
      .map(badge => badge.closest('tr'))
      .filter(Boolean) as HTMLElement[];
    expect(inRows).toHaveLength(1);
    expect(inRows[0]).toHaveTextContent('payments-prod');
    expect(api.getGates).toHaveBeenCalledWith(REF);
  });

  it('keeps the tab working when the backend has no gate routes', async () => {
    const api = mockPraevisioApi({
      getGates: jest.fn(async () => {
        throw await responseError(404, 'Not found', 'NotFoundError');
      }),
    });
    await renderReleases(<ReleasesView />, { api });
    expect(
      await screen.findByText('Quality gates are not available'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'prod environment' }),
    ).toBeInTheDocument();
  });

  it('evaluates a gate now and re-reads the gates', async () => {
    const api = mockPraevisioApi();
    await renderReleases(<ReleasesView />, {
      api,
      entity: makeEntity('payments-gates'),
    });
    const prod = within(
      await screen.findByRole('region', { name: 'prod quality gate' }),
    );
    await waitFor(() =>
      expect(prod.getByRole('button', { name: 'Evaluate now' })).toBeEnabled(),
    );
    const reads = api.getGates.mock.calls.length;
    await userEvent.click(prod.getByRole('button', { name: 'Evaluate now' }));
    await waitFor(() =>
      expect(api.evaluateGate).toHaveBeenCalledWith(
        'component:default/payments-gates',
        { environment: 'prod', application: 'payments-prod' },
        expect.stringMatching(UUID),
      ),
    );
    await waitFor(() =>
      expect(api.getGates.mock.calls.length).toBeGreaterThan(reads),
    );
  });
});
