import { ReactNode } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  hasTabAnnotations,
  IntegrationStatus,
  PraevisioTab,
  TAB_ENABLING_ANNOTATIONS,
} from '@praevisio/backstage-plugin-common';
import { useIntegrations } from '../../hooks/useIntegrations';

export interface TabGuardProps {
  tab: PraevisioTab;
  /** The tab works when any one of these integrations is configured. */
  requires: IntegrationStatus['name'][];
  children: ReactNode;
}

/**
 * Shows a tab's content only when the entity is annotated for it and the
 * backend has an integration to serve it; otherwise explains how to enable it.
 */
export function TabGuard({ tab, requires, children }: TabGuardProps) {
  const { entity } = useEntity();
  const { loading, error, value: integrations } = useIntegrations();

  if (!hasTabAnnotations(entity, tab)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[...TAB_ENABLING_ANNOTATIONS[tab]]}
        readMoreUrl="https://github.com/praevisio/praevisio-ops/blob/main/docs/annotations.md"
      />
    );
  }
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  const candidates = (integrations ?? []).filter(i =>
    requires.includes(i.name),
  );
  if (requires.length > 0 && !candidates.some(i => i.configured)) {
    return (
      <EmptyState
        missing="info"
        title={`${requires.join(' or ')} is not configured`}
        description={candidates.map(i => i.howToConfigure).join(' ')}
      />
    );
  }
  return <>{children}</>;
}
