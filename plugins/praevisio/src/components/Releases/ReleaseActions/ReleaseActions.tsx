import { useState } from 'react';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { Box, Button, Tooltip } from '@material-ui/core';
import {
  EnvironmentReleaseDto,
  RolloutCommand,
} from '@praevisio/backstage-plugin-common';
import type { ReleaseCommandHandlers } from '../../../hooks/useReleaseCommands';
import type {
  PermissionState,
  ReleasePermissions,
} from '../../../hooks/useReleasePermissions';
import {
  RollbackDialog,
  rollbackCandidates,
  ROLLOUT_COMMANDS,
  RolloutCommandDialog,
  SyncDialog,
} from '../ConfirmDialogs';

export type ReleaseAction = 'sync' | 'rollback' | RolloutCommand;

const ROLLOUT_ORDER: RolloutCommand[] = [
  'promote',
  'promote-full',
  'abort',
  'retry',
];

/** The actions that make sense for an environment right now, in button order. */
export function applicableActions(env: EnvironmentReleaseDto): ReleaseAction[] {
  const actions: ReleaseAction[] = ['sync'];
  if (rollbackCandidates(env).length > 0) actions.push('rollback');
  const rollout = env.rollout;
  if (rollout) {
    const moving =
      !rollout.aborted && ['Progressing', 'Paused'].includes(rollout.phase);
    const paused =
      !rollout.aborted &&
      (rollout.phase === 'Paused' || rollout.pauseReasons.length > 0);
    const applies: Record<RolloutCommand, boolean> = {
      promote: paused,
      'promote-full': moving,
      abort: moving,
      retry: rollout.aborted,
    };
    actions.push(...ROLLOUT_ORDER.filter(c => applies[c]));
  }
  return actions;
}

/** "team-payments" for group:default/team-payments; undefined without an owner. */
export function ownerName(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.length === 0) return undefined;
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    return ref.namespace === 'default'
      ? ref.name
      : `${ref.namespace}/${ref.name}`;
  } catch {
    return owner;
  }
}

/** Why a user may not `verb` the entity, naming its owners when known. */
export function deniedReason(entity: Entity, verb: string): string {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const owner = ownerName(entity);
  return owner
    ? `Only owners of this ${kind} (${owner}) may ${verb}`
    : `You are not permitted to ${verb} this ${kind}`;
}

function ActionButton(props: {
  label: string;
  permission: PermissionState;
  deniedReason: string;
  destructive?: boolean;
  onClick: () => void;
}) {
  const { permission } = props;
  const disabled = permission.loading || !permission.allowed;
  let reason = '';
  if (permission.loading) reason = 'Checking permissions…';
  else if (!permission.allowed) reason = props.deniedReason;
  return (
    <Tooltip title={reason}>
      {/* A span, because disabled buttons fire no hover events for the tooltip. */}
      <span>
        <Button
          size="small"
          variant="outlined"
          color={props.destructive ? 'secondary' : 'primary'}
          disabled={disabled}
          onClick={props.onClick}
          aria-description={reason || undefined}
        >
          {props.label}
        </Button>
      </span>
    </Tooltip>
  );
}

/** @public */
export interface ReleaseActionsProps {
  entity: Entity;
  environment: EnvironmentReleaseDto;
  permissions: ReleasePermissions;
  commands: ReleaseCommandHandlers;
}

/**
 * Commands for one environment. Inapplicable ones are hidden; ones the user
 * may not run are shown disabled with the reason, so people know whom to ask.
 */
export function ReleaseActions(props: ReleaseActionsProps) {
  const { entity, environment: env, permissions, commands } = props;
  const [open, setOpen] = useState<ReleaseAction | undefined>(undefined);
  const close = () => setOpen(undefined);
  const actions = applicableActions(env);

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      gridGap={8}
      role="group"
      aria-label={`Actions for ${env.environment}`}
    >
      {actions.map(action => {
        if (action === 'sync') {
          return (
            <ActionButton
              key={action}
              label="Sync…"
              permission={permissions.deploy}
              deniedReason={deniedReason(entity, 'deploy')}
              onClick={() => setOpen('sync')}
            />
          );
        }
        if (action === 'rollback') {
          return (
            <ActionButton
              key={action}
              label="Roll back…"
              destructive
              permission={permissions.rollback}
              deniedReason={deniedReason(entity, 'roll back')}
              onClick={() => setOpen('rollback')}
            />
          );
        }
        return (
          <ActionButton
            key={action}
            label={ROLLOUT_COMMANDS[action].label}
            destructive={action === 'abort'}
            permission={permissions.promote}
            deniedReason={deniedReason(entity, 'promote or abort rollouts')}
            onClick={() => setOpen(action)}
          />
        );
      })}

      {open === 'sync' && (
        <SyncDialog
          environment={env}
          onPreview={revision =>
            commands.previewSync(env.application, revision)
          }
          onConfirm={(body, key) => commands.sync(env.application, body, key)}
          onClose={close}
        />
      )}
      {open === 'rollback' && (
        <RollbackDialog
          environment={env}
          onConfirm={(body, key) =>
            commands.rollback(env.application, body, key)
          }
          onClose={close}
        />
      )}
      {open !== undefined && open !== 'sync' && open !== 'rollback' && (
        <RolloutCommandDialog
          environment={env}
          command={open}
          onConfirm={(body, key) =>
            commands.rollout(env.application, body, key)
          }
          onClose={close}
        />
      )}
    </Box>
  );
}
