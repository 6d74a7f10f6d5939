import { Tooltip } from '@material-ui/core';
import { formatDateTime, formatRelativeTime } from '../../../lib/format';

/** "5 minutes ago" with the exact time on hover. */
export function RelativeTime(props: { value?: string }) {
  if (!props.value) return <>—</>;
  return (
    <Tooltip title={formatDateTime(props.value)}>
      <time dateTime={props.value}>{formatRelativeTime(props.value)}</time>
    </Tooltip>
  );
}
