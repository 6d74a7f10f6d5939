import { useRef, useState } from 'react';
import {
  Box,
  Button,
  CircularProgress,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  EnvironmentReleaseDto,
  SyncPreviewDto,
} from '@praevisio/backstage-plugin-common';
import { errorMessage } from '../../../lib/errors';
import { RevisionChange } from '../shared/RevisionChange';
import { useUniqueId } from '../shared/useUniqueId';
import { ConfirmDialogFrame } from './ConfirmDialogFrame';
import { useIntentSubmission } from './useIntentSubmission';

/** @public */
export interface SyncDialogProps {
  environment: EnvironmentReleaseDto;
  onPreview(revision?: string): Promise<SyncPreviewDto>;
  onConfirm(
    body: { revision?: string },
    idempotencyKey: string,
  ): Promise<unknown>;
  onClose(): void;
}

type PreviewState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; value: SyncPreviewDto }
  | { status: 'failed'; error: unknown };

function resourceName(r: SyncPreviewDto['resources'][number]) {
  const kind = r.group ? `${r.kind}.${r.group}` : r.kind;
  return `${kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** Confirms a sync of one application to a revision, with an optional dry run. */
export function SyncDialog(props: SyncDialogProps) {
  const { environment: env } = props;
  const [revision, setRevision] = useState(env.targetRevision ?? '');
  const [preview, setPreview] = useState<PreviewState>({ status: 'idle' });
  const previewFor = useRef<string | undefined>(undefined);
  const intent = useIntentSubmission();
  const revisionFieldId = useUniqueId('sync-revision');
  const requested = revision.trim() || undefined;

  const onRevisionChange = (value: string) => {
    setRevision(value);
    setPreview({ status: 'idle' });
    intent.renewKey();
    intent.clearError();
  };

  const runPreview = async () => {
    previewFor.current = requested;
    setPreview({ status: 'loading' });
    try {
      const value = await props.onPreview(requested);
      if (previewFor.current === requested)
        setPreview({ status: 'done', value });
    } catch (error) {
      if (previewFor.current === requested)
        setPreview({ status: 'failed', error });
    }
  };

  const resolved = preview.status === 'done' ? preview.value : undefined;

  return (
    <ConfirmDialogFrame
      title={`Sync ${env.application} (${env.environment})`}
      confirmLabel="Sync"
      submitting={intent.submitting}
      error={intent.error}
      onClose={props.onClose}
      onConfirm={() =>
        intent.submit(
          key => props.onConfirm({ revision: requested }, key),
          props.onClose,
        )
      }
    >
      <RevisionChange
        from={resolved?.fromRevision ?? env.revision}
        to={resolved?.toRevision ?? requested ?? env.targetRevision}
      />
      <TextField
        id={revisionFieldId}
        label="Revision"
        helperText="Branch, tag or commit to sync to. Defaults to the application's target revision."
        value={revision}
        onChange={e => onRevisionChange(e.target.value)}
        fullWidth
        margin="normal"
        disabled={intent.submitting}
      />
      <Box display="flex" alignItems="center" gridGap={8}>
        <Button
          variant="outlined"
          onClick={runPreview}
          disabled={preview.status === 'loading' || intent.submitting}
        >
          Preview changes
        </Button>
        {preview.status === 'loading' && (
          <CircularProgress size={20} aria-label="Loading preview" />
        )}
      </Box>
      {preview.status === 'failed' && (
        <Alert severity="warning" role="status" style={{ marginTop: 16 }}>
          Preview failed: {errorMessage(preview.error)}
        </Alert>
      )}
      {resolved && (
        <Box mt={2}>
          <Typography variant="subtitle2">
            {resolved.resources.length === 0
              ? 'No resources would change.'
              : `${resolved.resources.length} resource(s) would change:`}
          </Typography>
          <List dense aria-label="Resources that would change">
            {resolved.resources.map(r => (
              <ListItem key={resourceName(r)} disableGutters>
                <ListItemText
                  primary={resourceName(r)}
                  secondary={[r.status, r.message].filter(Boolean).join(' — ')}
                />
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </ConfirmDialogFrame>
  );
}
