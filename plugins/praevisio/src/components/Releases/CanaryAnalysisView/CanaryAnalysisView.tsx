import {
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  useTheme,
} from '@material-ui/core';
import {
  CanaryAnalysisDto,
  CanaryClassification,
  CanaryMetricDto,
} from '@praevisio/backstage-plugin-common';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { formatScore } from '../GateScoreBadge';

const METRIC_TEXT: Record<CanaryMetricDto['classification'], string> = {
  Pass: 'Pass',
  High: 'High',
  Low: 'Low',
  Nodata: 'No data',
  NodataFailMetric: 'No data (fails)',
  Error: 'Error',
};

function MetricChip(props: { metric: CanaryMetricDto }) {
  const theme = useTheme();
  const { classification, critical } = props.metric;
  let color: string | undefined;
  if (classification === 'Pass') color = theme.palette.success.main;
  else if (classification === 'Nodata') color = undefined;
  else color = critical ? theme.palette.error.main : theme.palette.warning.main;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={METRIC_TEXT[classification]}
      style={color ? { borderColor: color, color } : undefined}
    />
  );
}

function ClassificationChip(props: { value: CanaryClassification }) {
  const theme = useTheme();
  const color = {
    Pass: theme.palette.success,
    Marginal: theme.palette.warning,
    Fail: theme.palette.error,
  }[props.value];
  return (
    <Chip
      size="small"
      label={props.value}
      style={{ backgroundColor: color.main, color: color.contrastText }}
    />
  );
}

/** @public */
export interface CanaryAnalysisViewProps {
  analysis: CanaryAnalysisDto;
}

/** Baseline against canary per metric, with the judge's verdict and score. */
export function CanaryAnalysisView(props: CanaryAnalysisViewProps) {
  const { analysis: a } = props;
  return (
    <section aria-label={`Canary analysis ${a.environment}`}>
      <Box display="flex" alignItems="center" gridGap={8} mb={1}>
        <Typography variant="subtitle1">
          Canary analysis {a.environment} ({a.application})
        </Typography>
        <ClassificationChip value={a.classification} />
        <Typography variant="body2">Score {formatScore(a.score)}</Typography>
      </Box>
      <Typography variant="body2" color="textSecondary" paragraph>
        Window {formatDateTime(a.window.start)} – {formatDateTime(a.window.end)}
        {a.baselineHash && ` · baseline pods ${a.baselineHash}`}
        {a.canaryHash && ` · canary pods ${a.canaryHash}`}
        {a.reason && ` · ${a.reason}`}
      </Typography>
      {a.groups.length > 0 && (
        <Box display="flex" flexWrap="wrap" gridGap={8} mb={1}>
          {a.groups.map(g => (
            <Chip
              key={g.name}
              size="small"
              variant="outlined"
              label={`${g.name}: ${formatScore(g.score)}`}
            />
          ))}
        </Box>
      )}
      <Table size="small" aria-label="Canary metrics">
        <TableHead>
          <TableRow>
            <TableCell>Metric</TableCell>
            <TableCell align="right">Baseline n / mean</TableCell>
            <TableCell align="right">Canary n / mean</TableCell>
            <TableCell align="right">Interval</TableCell>
            <TableCell align="right">Estimate</TableCell>
            <TableCell align="right">Effect size</TableCell>
            <TableCell>Classification</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {a.metrics.map(m => (
            <TableRow key={m.name}>
              <TableCell>
                {m.name}
                {m.critical && (
                  <Typography variant="caption" color="error" display="block">
                    critical
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right">
                {m.baseline.count} / {formatNumber(m.baseline.mean)}
              </TableCell>
              <TableCell align="right">
                {m.canary.count} / {formatNumber(m.canary.mean)}
              </TableCell>
              <TableCell align="right">
                {m.statistics.confidenceInterval
                  ? `[${formatNumber(
                      m.statistics.confidenceInterval[0],
                    )}, ${formatNumber(m.statistics.confidenceInterval[1])}]`
                  : '—'}
              </TableCell>
              <TableCell align="right">
                {formatNumber(m.statistics.estimate)}
              </TableCell>
              <TableCell align="right">
                {formatNumber(m.statistics.effectSize)}
              </TableCell>
              <TableCell>
                <MetricChip metric={m} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
