import {
  Button,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { GateDecisionDto } from '@praevisio/backstage-plugin-common';
import { humanize } from '../../../lib/format';
import { RelativeTime } from '../shared/RelativeTime';

/** "Praevisio (automatic)" or the user's name. */
export function decidedByText(decidedBy: string): string {
  if (decidedBy === 'praevisio') return 'Praevisio (automatic)';
  return decidedBy.replace(/^user:(default\/)?/, '');
}

/** @public */
export interface GateDecisionsListProps {
  decisions: GateDecisionDto[];
  onShowEvaluation?: (evaluationId: string) => void;
  onShowCanaryAnalysis?: (analysisId: string) => void;
}

/** What was decided at each Rollout pause, by whom and why, newest first. */
export function GateDecisionsList(props: GateDecisionsListProps) {
  const { decisions, onShowEvaluation, onShowCanaryAnalysis } = props;
  if (decisions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No promote, abort or pause decision has been taken yet.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Gate decisions">
      {decisions.map(d => (
        <ListItem key={d.id} divider>
          <ListItemText
            primary={
              <>
                <strong>{humanize(d.decision)}</strong> {d.environment} (
                {d.application}) by {decidedByText(d.decidedBy)} ·{' '}
                <RelativeTime value={d.at} />
              </>
            }
            secondary={
              <>
                {d.reason}
                {d.actionFailed && (
                  <Typography
                    component="span"
                    variant="body2"
                    color="error"
                    display="block"
                  >
                    The automatic {d.decision} gave up after{' '}
                    {d.actionFailed.attempts} failed attempts (
                    {d.actionFailed.error}): a human must act.
                  </Typography>
                )}
              </>
            }
          />
          {d.gateEvaluationId && onShowEvaluation && (
            <Button
              size="small"
              onClick={() => onShowEvaluation(d.gateEvaluationId!)}
            >
              Gate evaluation
            </Button>
          )}
          {d.canaryAnalysisId && onShowCanaryAnalysis && (
            <Button
              size="small"
              onClick={() => onShowCanaryAnalysis(d.canaryAnalysisId!)}
            >
              Canary analysis
            </Button>
          )}
        </ListItem>
      ))}
    </List>
  );
}
