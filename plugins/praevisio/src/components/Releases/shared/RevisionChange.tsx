import { Box, Tooltip, Typography } from '@material-ui/core';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { shortRevision } from '../../../lib/format';

function Revision(props: { value?: string; label: string }) {
  return (
    <Tooltip title={props.value ?? 'unknown'}>
      <Typography
        component="code"
        variant="body2"
        aria-label={`${props.label} revision ${props.value ?? 'unknown'}`}
      >
        {shortRevision(props.value)}
      </Typography>
    </Tooltip>
  );
}

/** "abc1234 → def5678": what a command changes. */
export function RevisionChange(props: { from?: string; to?: string }) {
  return (
    <Box
      display="flex"
      alignItems="center"
      gridGap={8}
      data-testid="revision-change"
    >
      <Revision value={props.from} label="from" />
      <ArrowForwardIcon fontSize="small" aria-hidden />
      <Revision value={props.to} label="to" />
    </Box>
  );
}
