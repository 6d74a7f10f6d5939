import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';

/**
 * What Praevisio reads from this entity's annotations for one tab, so owners
 * can check the wiring at a glance.
 */
export function AnnotationSummaryCard(props: {
  title: string;
  annotations: readonly string[];
}) {
  const { entity } = useEntity();
  const present = entity.metadata.annotations ?? {};
  const metadata = Object.fromEntries(
    props.annotations.map(a => [a, present[a] ?? '—']),
  );
  return (
    <InfoCard title={props.title}>
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
