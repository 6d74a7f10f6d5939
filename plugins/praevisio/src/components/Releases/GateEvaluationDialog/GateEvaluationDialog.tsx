import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  GateEvaluationDto,
  IndicatorResult,
  SliTarget,
} from '@praevisio/backstage-plugin-common';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { formatScore, GateScoreBadge } from '../GateScoreBadge';
import { useUniqueId } from '../shared/useUniqueId';

function Targets(props: { targets: SliTarget[] | null }) {
  if (!props.targets || props.targets.length === 0) return <>—</>;
  return (
    <>
      {props.targets.map((t, i) => (
        <Typography
          key={i}
          variant="body2"
          component="div"
          color={t.violated ? 'error' : 'textPrimary'}
        >
          {t.criteria} (target {formatNumber(t.targetValue)})
          {t.violated ? ' — violated' : ''}
        </Typography>
      ))}
    </>
  );
}

const STATUS_TEXT: Record<IndicatorResult['status'], string> = {
  pass: 'Pass',
  warning: 'Warning',
  fail: 'Fail',
  info: 'Info only',
};

/** @public */
export interface GateEvaluationDetailsProps {
  evaluation: GateEvaluationDto;
}

/** Who scored the gate: "scored by Keptn 'legacy' (context …)" or "Prometheus 'main'". */
export function providerText(ev: GateEvaluationDto): string {
  if (ev.provider === 'keptn') {
    return `scored by Keptn${
      ev.providerInstance ? ` '${ev.providerInstance}'` : ''
    }${ev.keptnContext ? ` (keptnContext ${ev.keptnContext})` : ''}`;
  }
  return `provider prometheus${
    ev.providerInstance ? ` '${ev.providerInstance}'` : ''
  }`;
}

/** Everything a gate evaluation is made of, so its score can be retraced. */
export function GateEvaluationDetails(props: GateEvaluationDetailsProps) {
  const { evaluation: ev } = props;
  const errors = Object.entries(ev.errors);
  return (
    <>
      <Box display="flex" alignItems="center" gridGap={8} mb={2}>
        <GateScoreBadge evaluation={ev} />
        <Typography variant="body2">
          Total score {formatScore(ev.score)} of 100 · result {ev.result}
        </Typography>
      </Box>
      <Typography variant="body2" color="textSecondary" paragraph>
        Window {formatDateTime(ev.window.start)} –{' '}
        {formatDateTime(ev.window.end)} · {providerText(ev)} · {ev.trigger}{' '}
        evaluation by {ev.triggeredBy}
        {ev.comparedEvaluationIds.length > 0 &&
          ` · baseline from ${ev.comparedEvaluationIds.length} earlier evaluation(s)`}
        {ev.sloLocation && ` · SLO from ${ev.sloLocation}`}
      </Typography>
      {ev.message && (
        <Alert severity={ev.result === 'pass' ? 'info' : 'warning'}>
          {ev.message}
        </Alert>
      )}
      {ev.override && (
        <Alert severity="info" style={{ marginTop: 8 }}>
          Overridden to pass by {ev.override.by} on{' '}
          {formatDateTime(ev.override.at)}: {ev.override.reason}
        </Alert>
      )}
      <Table size="small" aria-label="Objectives">
        <TableHead>
          <TableRow>
            <TableCell>Objective</TableCell>
            <TableCell align="right">Value</TableCell>
            <TableCell align="right">Baseline</TableCell>
            <TableCell>Pass criteria</TableCell>
            <TableCell>Warning criteria</TableCell>
            <TableCell>Status</TableCell>
            <TableCell align="right">Points</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {ev.indicatorResults.map(ir => (
            <TableRow key={ir.value.metric}>
              <TableCell>
                {ir.displayName || ir.value.metric}
                {ir.displayName && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {ir.value.metric}
                  </Typography>
                )}
                {ir.keySli && (
                  <Typography variant="caption" display="block">
                    key SLI
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right">
                {ir.value.success
                  ? formatNumber(ev.values[ir.value.metric] ?? ir.value.value)
                  : '—'}
              </TableCell>
              <TableCell align="right">
                {formatNumber(ir.value.comparedValue)}
              </TableCell>
              <TableCell>
                <Targets targets={ir.passTargets} />
              </TableCell>
              <TableCell>
                <Targets targets={ir.warningTargets} />
              </TableCell>
              <TableCell>{STATUS_TEXT[ir.status]}</TableCell>
              <TableCell align="right">{formatScore(ir.score)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {errors.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2">SLIs without a value</Typography>
          <ul aria-label="SLI errors">
            {errors.map(([sli, message]) => (
              <li key={sli}>
                <strong>{sli}</strong>: {message}
              </li>
            ))}
          </ul>
        </Box>
      )}
    </>
  );
}

/** @public */
export interface GateEvaluationDialogProps {
  evaluation: GateEvaluationDto;
  /** Offered for an evaluation that blocks and is not overridden yet. */
  onOverride?: () => void;
  onClose(): void;
}

/** The objectives behind one evaluation, with the way to override it. */
export function GateEvaluationDialog(props: GateEvaluationDialogProps) {
  const { evaluation: ev } = props;
  const titleId = useUniqueId('gate-evaluation-title');
  const canOverride = props.onOverride && !ev.override && ev.result !== 'pass';
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={titleId}
      maxWidth="lg"
      fullWidth
    >
      <DialogTitle id={titleId}>
        Quality gate {ev.environment}
        {ev.application ? ` (${ev.application})` : ''}
      </DialogTitle>
      <DialogContent>
        <GateEvaluationDetails evaluation={ev} />
      </DialogContent>
      <DialogActions>
        {canOverride && (
          <Button color="secondary" onClick={props.onOverride}>
            Override…
          </Button>
        )}
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
