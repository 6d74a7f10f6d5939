import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  CanaryAnalysisDto,
  EnvironmentReleaseDto,
  EvaluateGateRequestDto,
  GatesOverviewDto,
  OverrideGateRequestDto,
} from '@praevisio/backstage-plugin-common';
import type { PermissionState } from '../../../hooks/useReleasePermissions';
import { errorMessage } from '../../../lib/errors';
import { latestEvaluationForEnvironment } from '../../../lib/gates';
import { CanaryAnalysisView } from '../CanaryAnalysisView';
import { useIntentSubmission } from '../ConfirmDialogs/useIntentSubmission';
import { GateDecisionsList } from '../GateDecisionsList';
import { GateEvaluationDialog } from '../GateEvaluationDialog';
import { GateScoreBadge } from '../GateScoreBadge';
import { OverrideGateDialog } from '../OverrideGateDialog';
import { ReleasesErrorState } from '../shared/ErrorState';

export const NO_EVALUATIONS_TEXT =
  'No evaluations yet — gates run automatically at Rollout pause steps, or use Evaluate now';

/** @public */
export interface QualityGatesSectionProps {
  environments: EnvironmentReleaseDto[];
  overview?: GatesOverviewDto;
  loading: boolean;
  error?: Error;
  /** The backend has no gate routes. */
  unavailable: boolean;
  evaluatePermission: PermissionState;
  overridePermission: PermissionState;
  deniedReasons: { evaluate: string; override: string };
  onEvaluate(
    body: EvaluateGateRequestDto,
    idempotencyKey: string,
  ): Promise<unknown>;
  onOverride(
    evaluationId: string,
    body: OverrideGateRequestDto,
    idempotencyKey: string,
  ): Promise<unknown>;
}

interface EvaluateNowButtonProps {
  env: EnvironmentReleaseDto;
  permission: PermissionState;
  deniedReason: string;
  onEvaluate: QualityGatesSectionProps['onEvaluate'];
}

/** Each accepted evaluation remounts the button: the next click is a new intent. */
function EvaluateNowButton(props: EvaluateNowButtonProps) {
  const [round, setRound] = useState(0);
  return (
    <EvaluateNowAttempt
      key={round}
      {...props}
      onDone={() => setRound(r => r + 1)}
    />
  );
}

function EvaluateNowAttempt(
  props: EvaluateNowButtonProps & { onDone: () => void },
) {
  const { env, permission } = props;
  const intent = useIntentSubmission();
  let reason = '';
  if (permission.loading) reason = 'Checking permissions…';
  else if (!permission.allowed) reason = props.deniedReason;
  return (
    <Box>
      <Tooltip title={reason}>
        {/* A span, because disabled buttons fire no hover events for the tooltip. */}
        <span>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            disabled={Boolean(reason) || intent.submitting}
            aria-description={reason || undefined}
            onClick={() =>
              intent.submit(
                key =>
                  props.onEvaluate(
                    {
                      environment: env.environment,
                      application: env.application,
                    },
                    key,
                  ),
                props.onDone,
              )
            }
          >
            {intent.submitting ? 'Evaluating…' : 'Evaluate now'}
          </Button>
        </span>
      </Tooltip>
      {intent.error !== undefined && (
        <Typography
          variant="caption"
          color="error"
          role="alert"
          display="block"
        >
          {errorMessage(intent.error)}
        </Typography>
      )}
    </Box>
  );
}

type Open =
  | { kind: 'evaluation'; id: string }
  | { kind: 'override'; id: string }
  | { kind: 'canary'; id: string };

function latestCanaryFor(
  analyses: CanaryAnalysisDto[],
  env: EnvironmentReleaseDto,
): CanaryAnalysisDto | undefined {
  return analyses
    .filter(
      a =>
        a.environment === env.environment && a.application === env.application,
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

/** Quality gates and canary analyses of every environment, with their decisions. */
export function QualityGatesSection(props: QualityGatesSectionProps) {
  const { environments, overview, loading, error, unavailable } = props;
  const [open, setOpen] = useState<Open | undefined>(undefined);
  const close = () => setOpen(undefined);

  let content;
  if (unavailable) {
    content = (
      <EmptyState
        missing="info"
        title="Quality gates are not available"
        description="This Praevisio backend does not offer quality gates yet."
      />
    );
  } else if (!overview) {
    if (error)
      content = <ReleasesErrorState error={error} what="quality gates" />;
    else content = loading ? <Progress /> : null;
  } else {
    const evaluationById = (id: string) =>
      overview.evaluations.find(e => e.id === id);
    const openEvaluation =
      open && open.kind !== 'canary' ? evaluationById(open.id) : undefined;
    const openCanary =
      open?.kind === 'canary'
        ? overview.canaryAnalyses.find(a => a.id === open.id)
        : undefined;
    content = (
      <>
        {error && (
          <WarningPanel
            severity="warning"
            title="Could not refresh quality gates; showing the previous state"
            message={errorMessage(error)}
          />
        )}
        {overview.evaluations.length === 0 && (
          <Typography variant="body2" color="textSecondary" paragraph>
            {NO_EVALUATIONS_TEXT}
          </Typography>
        )}
        {environments.map(env => {
          const latest = latestEvaluationForEnvironment(
            overview.evaluations,
            env.environment,
            env.application,
          );
          const canary = latestCanaryFor(overview.canaryAnalyses, env);
          return (
            <Box
              key={`${env.instance}/${env.application}`}
              component="section"
              aria-label={`${env.environment} quality gate`}
              mb={3}
            >
              <Box display="flex" alignItems="center" gridGap={16} mb={1}>
                <Typography variant="subtitle1">
                  {env.environment} ({env.application})
                </Typography>
                {latest ? (
                  <>
                    <GateScoreBadge
                      evaluation={latest}
                      onClick={() =>
                        setOpen({ kind: 'evaluation', id: latest.id })
                      }
                    />
                    <Button
                      size="small"
                      onClick={() =>
                        setOpen({ kind: 'evaluation', id: latest.id })
                      }
                    >
                      Details
                    </Button>
                  </>
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    not evaluated
                  </Typography>
                )}
                <EvaluateNowButton
                  env={env}
                  permission={props.evaluatePermission}
                  deniedReason={props.deniedReasons.evaluate}
                  onEvaluate={props.onEvaluate}
                />
              </Box>
              {canary && <CanaryAnalysisView analysis={canary} />}
            </Box>
          );
        })}
        <Typography variant="subtitle1">Decisions</Typography>
        <GateDecisionsList
          decisions={overview.decisions}
          onShowEvaluation={id => setOpen({ kind: 'evaluation', id })}
          onShowCanaryAnalysis={id => setOpen({ kind: 'canary', id })}
        />
        {open?.kind === 'evaluation' && openEvaluation && (
          <GateEvaluationDialog
            evaluation={openEvaluation}
            onOverride={() =>
              setOpen({ kind: 'override', id: openEvaluation.id })
            }
            onClose={close}
          />
        )}
        {open?.kind === 'override' && openEvaluation && (
          <OverrideGateDialog
            evaluation={openEvaluation}
            permission={props.overridePermission}
            deniedReason={props.deniedReasons.override}
            onConfirm={(body, key) =>
              props.onOverride(openEvaluation.id, body, key)
            }
            onClose={close}
          />
        )}
        {open?.kind === 'canary' && openCanary && (
          <Dialog open onClose={close} maxWidth="lg" fullWidth>
            <DialogContent>
              <CanaryAnalysisView analysis={openCanary} />
            </DialogContent>
            <DialogActions>
              <Button onClick={close}>Close</Button>
            </DialogActions>
          </Dialog>
        )}
        {open && !openEvaluation && !openCanary && (
          <Alert severity="info" onClose={close}>
            That evaluation is no longer in the recent list.
          </Alert>
        )}
      </>
    );
  }
  return <InfoCard title="Quality gates">{content}</InfoCard>;
}
