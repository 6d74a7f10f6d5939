import { Chip, Tooltip, useTheme } from '@material-ui/core';
import {
  GateEvaluationDto,
  GateResult,
} from '@praevisio/backstage-plugin-common';

const LABELS: Record<GateResult, string> = {
  pass: 'Pass',
  warning: 'Warning',
  fail: 'Fail',
  errored: 'Errored',
};

const EXPLANATIONS: Record<GateResult, string> = {
  pass: 'The quality gate passed',
  warning: 'The quality gate passed with warnings',
  fail: 'The quality gate failed; the rollout is blocked',
  errored:
    'The quality gate could not be evaluated (provider error, timeout or missing data); this blocks like a failure',
};

/** The text of a badge: "Pass 95"; errored has no meaningful score. */
export function gateBadgeLabel(
  evaluation: Pick<GateEvaluationDto, 'result' | 'score' | 'override'>,
): string {
  const { result, score, override } = evaluation;
  const base =
    result === 'errored'
      ? 'Errored · no score'
      : `${LABELS[result]} ${formatScore(score)}`;
  return override ? `Overridden (was ${base})` : base;
}

export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

/** @public */
export interface GateScoreBadgeProps {
  evaluation: Pick<
    GateEvaluationDto,
    'result' | 'score' | 'override' | 'environment'
  >;
  onClick?: () => void;
}

/**
 * Score and result of a quality gate evaluation: green for pass, amber for
 * warning, red for fail and errored (errored says so, as it has no score).
 */
export function GateScoreBadge(props: GateScoreBadgeProps) {
  const { evaluation, onClick } = props;
  const theme = useTheme();
  const effective = evaluation.override ? 'pass' : evaluation.result;
  const palette = {
    pass: theme.palette.success,
    warning: theme.palette.warning,
    fail: theme.palette.error,
    errored: theme.palette.error,
  }[effective];
  const label = gateBadgeLabel(evaluation);
  const explanation = evaluation.override
    ? `Overridden to pass by ${evaluation.override.by}: ${evaluation.override.reason}`
    : EXPLANATIONS[evaluation.result];
  return (
    <Tooltip title={explanation}>
      <Chip
        size="small"
        label={label}
        data-result={effective}
        aria-label={`Quality gate ${label}. ${explanation}`}
        onClick={onClick}
        variant={evaluation.result === 'errored' ? 'outlined' : 'default'}
        style={
          evaluation.result === 'errored' && !evaluation.override
            ? { borderColor: palette.main, color: palette.main }
            : { backgroundColor: palette.main, color: palette.contrastText }
        }
      />
    </Tooltip>
  );
}
