import {
  EmptyState,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { errorMessage, errorStatus } from '../../../lib/errors';

/**
 * How a failed read looks: 400 is a problem with the entity's annotations
 * (the owner can fix it), 403 is a permission the user lacks, anything else is
 * an error to report.
 */
export function ReleasesErrorState(props: { error: Error; what: string }) {
  const status = errorStatus(props.error);
  if (status === 400) {
    return (
      <WarningPanel
        severity="warning"
        title={`Cannot show ${props.what}: the entity's Argo CD annotations are not valid`}
        message={errorMessage(props.error)}
        defaultExpanded
      />
    );
  }
  if (status === 403) {
    return (
      <EmptyState
        missing="info"
        title={`You are not allowed to see ${props.what}`}
        description={`Reading ${props.what} needs the praevisio.release.read permission on this entity. Ask its owners or your Backstage administrators for access.`}
      />
    );
  }
  return <ResponseErrorPanel error={props.error} />;
}
