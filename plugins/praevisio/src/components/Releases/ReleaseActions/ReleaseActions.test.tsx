import { renderInTestApp } from '@backstage/test-utils';
import { DeploymentDto } from '@praevisio/backstage-plugin-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReleaseCommandHandlers } from '../../../hooks/useReleaseCommands';
import { ReleasePermissions } from '../../../hooks/useReleasePermissions';
import {
  canaryRollout,
  makeDeployment,
  makeEntity,
  makeEnvironment,
} from '../__testUtils__/fixtures';
import { ReleaseActions } from './ReleaseActions';

const allowed = { loading: false, allowed: true };
const denied = { loading: false, allowed: false };
const everything: ReleasePermissions = {
  deploy: allowed,
  rollback: allowed,
  promote: allowed,
};

type Handler = keyof ReleaseCommandHandlers;

function accepting<K extends Exclude<Handler, 'previewSync'>>() {
  return jest.fn<Promise<DeploymentDto>, Parameters<ReleaseCommandHandlers[K]>>(
    async () => makeDeployment(),
  );
}

function commands(): jest.Mocked<ReleaseCommandHandlers> {
  return {
    previewSync: jest.fn(),
    sync: accepting<'sync'>(),
    rollback: accepting<'rollback'>(),
    rollout: accepting<'rollout'>(),
  };
}

function buttonNames() {
  return within(screen.getByRole('group'))
    .getAllByRole('button')
    .map(b => b.textContent);
}

describe('ReleaseActions', () => {
  it('offers sync and rollback when nothing is rolling out', async () => {
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment()}
        permissions={everything}
        commands={commands()}
      />,
    );
    expect(buttonNames()).toEqual(['Sync…', 'Roll back…']);
  });

  it('hides rollback when there is no earlier revision', async () => {
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment({ rollbackTargets: [] })}
        permissions={everything}
        commands={commands()}
      />,
    );
    expect(buttonNames()).toEqual(['Sync…']);
  });

  it('offers promote, promote fully and abort on a paused canary', async () => {
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment({ rollout: canaryRollout() })}
        permissions={everything}
        commands={commands()}
      />,
    );
    expect(buttonNames()).toEqual([
      'Sync…',
      'Roll back…',
      'Promote',
      'Promote fully',
      'Abort',
    ]);
  });

  it('offers only retry among rollout commands once aborted', async () => {
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment({
          rollout: canaryRollout({ aborted: true, phase: 'Degraded' }),
        })}
        permissions={everything}
        commands={commands()}
      />,
    );
    expect(buttonNames()).toEqual(['Sync…', 'Roll back…', 'Retry']);
  });

  it('disables what the user may not do and says who may', async () => {
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment({ rollout: canaryRollout() })}
        permissions={{ deploy: denied, rollback: denied, promote: allowed }}
        commands={commands()}
      />,
    );
    const sync = screen.getByRole('button', { name: 'Sync…' });
    expect(sync).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Promote' })).toBeEnabled();

    await userEvent.hover(sync.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Only owners of this component (team-payments) may deploy',
    );
  });

  it('names the user as the reason when the entity has no owner', async () => {
    const entity = makeEntity();
    delete entity.spec!.owner;
    await renderInTestApp(
      <ReleaseActions
        entity={entity}
        environment={makeEnvironment()}
        permissions={{ ...everything, rollback: denied }}
        commands={commands()}
      />,
    );
    await userEvent.hover(
      screen.getByRole('button', { name: 'Roll back…' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You are not permitted to roll back this component',
    );
  });

  it('keeps buttons disabled while permissions load', async () => {
    const loading = { loading: true, allowed: false };
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment()}
        permissions={{ deploy: loading, rollback: loading, promote: loading }}
        commands={commands()}
      />,
    );
    expect(screen.getByRole('button', { name: 'Sync…' })).toBeDisabled();
  });

  it('runs a promote through its confirm dialog for this application', async () => {
    const handlers = commands();
    await renderInTestApp(
      <ReleaseActions
        entity={makeEntity()}
        environment={makeEnvironment({ rollout: canaryRollout() })}
        permissions={everything}
        commands={handlers}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Promote' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Promote' }));
    expect(handlers.rollout).toHaveBeenCalledWith(
      'payments-prod',
      { action: 'promote' },
      expect.any(String),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
