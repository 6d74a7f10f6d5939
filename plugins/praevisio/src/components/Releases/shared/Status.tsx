import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { DeploymentState } from '@praevisio/backstage-plugin-common';
import { humanize } from '../../../lib/format';

/** Argo CD sync status: Synced | OutOfSync | Unknown. */
export function SyncStatus(props: { status: string }) {
  switch (props.status) {
    case 'Synced':
      return <StatusOK>Synced</StatusOK>;
    case 'OutOfSync':
      return <StatusWarning>Out of sync</StatusWarning>;
    default:
      return (
        <StatusPending>{humanize(props.status || 'Unknown')}</StatusPending>
      );
  }
}

/** Argo CD health: Healthy | Progressing | Suspended | Degraded | Missing | Unknown. */
export function HealthStatus(props: { status: string }) {
  switch (props.status) {
    case 'Healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'Progressing':
      return <StatusRunning>Progressing</StatusRunning>;
    case 'Suspended':
      return <StatusPending>Suspended</StatusPending>;
    case 'Degraded':
      return <StatusError>Degraded</StatusError>;
    case 'Missing':
      return <StatusWarning>Missing</StatusWarning>;
    default:
      return (
        <StatusPending>{humanize(props.status || 'Unknown')}</StatusPending>
      );
  }
}

/** Argo CD operation phase: Running | Succeeded | Failed | Error | Terminating. */
export function OperationStatus(props: { phase: string }) {
  switch (props.phase) {
    case 'Running':
      return <StatusRunning>Operation running</StatusRunning>;
    case 'Terminating':
      return <StatusRunning>Operation terminating</StatusRunning>;
    case 'Succeeded':
      return <StatusOK>Last operation succeeded</StatusOK>;
    case 'Failed':
    case 'Error':
      return (
        <StatusError>Last operation {props.phase.toLowerCase()}</StatusError>
      );
    default:
      return <StatusPending>{humanize(props.phase)}</StatusPending>;
  }
}

/** A Praevisio deployment's state machine position (DESIGN §5). */
export function DeploymentStateStatus(props: { state: DeploymentState }) {
  const label = humanize(props.state);
  switch (props.state) {
    case 'succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    case 'aborted':
      return <StatusAborted>{label}</StatusAborted>;
    case 'rolled_back':
      return <StatusWarning>{label}</StatusWarning>;
    case 'requested':
      return <StatusPending>{label}</StatusPending>;
    case 'paused':
      return <StatusWarning>{label}</StatusWarning>;
    default:
      return <StatusRunning>{label}</StatusRunning>;
  }
}
