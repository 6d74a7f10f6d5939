import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ARGOCD_PROJECT_NAME,
} from '@praevisio/backstage-plugin-common';
import { labelSelectorProblem } from './labelSelector';

/**
 * Which Argo CD applications belong to an entity, read from the annotations
 * the Roadie and community Argo CD plugins use:
 *
 * - `argocd/app-selector`: a label selector; when present it is used, as in
 *   those plugins, and `argocd/project-name` narrows it to one project.
 * - `argocd/app-name`: otherwise, one or more names (comma-separated);
 *   `argocd/project-name` is then passed as the apps' project, which also
 *   lets Argo CD answer 404 rather than 403 for a missing app.
 * - `argocd/instance-name`: the configured instance; default the first one.
 */
export interface EntityApplicationsQuery {
  instance: string;
  appNames?: string[];
  selector?: string;
  project?: string;
}

/** Kubernetes object names (DNS-1123 subdomain), which Argo CD app and project names are. */
const OBJECT_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads and validates the entity's Argo CD annotations.
 *
 * @throws InputError - an annotation is malformed or names an unknown
 *   instance; the message names the annotation so the tab can show it
 * @throws NotFoundError - no Argo CD instance is configured
 */
export function readEntityApplicationsQuery(
  entity: Entity,
  instanceNames: string[],
): EntityApplicationsQuery {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const problem = (annotation: string, why: string) =>
    new InputError(`Annotation '${annotation}' of ${entityRef} ${why}`);

  if (instanceNames.length === 0) {
    throw new NotFoundError(
      'No Argo CD instance is configured; add praevisio.argocd.instances[] to app-config.yaml',
    );
  }
  const instanceAnnotation = annotations[ANNOTATION_ARGOCD_INSTANCE_NAME];
  let instance = instanceNames[0];
  if (instanceAnnotation !== undefined) {
    instance = instanceAnnotation.trim();
    if (!instanceNames.includes(instance)) {
      throw problem(
        ANNOTATION_ARGOCD_INSTANCE_NAME,
        `names Argo CD instance '${instanceAnnotation}', which is not configured (configured: ${instanceNames.join(
          ', ',
        )})`,
      );
    }
  }

  const projectAnnotation = annotations[ANNOTATION_ARGOCD_PROJECT_NAME];
  let project: string | undefined;
  if (projectAnnotation !== undefined) {
    project = projectAnnotation.trim();
    if (!OBJECT_NAME.test(project) || project.length > 253) {
      throw problem(
        ANNOTATION_ARGOCD_PROJECT_NAME,
        `is not a valid Argo CD project name: '${projectAnnotation}'`,
      );
    }
  }

  const selectorAnnotation = annotations[ANNOTATION_ARGOCD_APP_SELECTOR];
  if (selectorAnnotation !== undefined) {
    const why = labelSelectorProblem(selectorAnnotation);
    if (why) {
      throw problem(
        ANNOTATION_ARGOCD_APP_SELECTOR,
        `is not a valid label selector (${why}): '${selectorAnnotation}'`,
      );
    }
    return { instance, selector: selectorAnnotation.trim(), project };
  }

  const nameAnnotation = annotations[ANNOTATION_ARGOCD_APP_NAME];
  if (nameAnnotation !== undefined) {
    const names = nameAnnotation.split(',').map(n => n.trim());
    const bad = names.find(n => !OBJECT_NAME.test(n) || n.length > 253);
    if (bad !== undefined) {
      throw problem(
        ANNOTATION_ARGOCD_APP_NAME,
        bad === ''
          ? `has an empty application name: '${nameAnnotation}'`
          : `has an invalid Argo CD application name '${bad}' (lowercase letters, digits, '-' and '.')`,
      );
    }
    return { instance, appNames: [...new Set(names)], project };
  }

  throw new InputError(
    `${entityRef} has neither the '${ANNOTATION_ARGOCD_APP_NAME}' nor the '${ANNOTATION_ARGOCD_APP_SELECTOR}' annotation, so it has no Argo CD applications`,
  );
}

/** A stable key for a query, so that changed annotations are never served from cache. */
export function queryKey(query: EntityApplicationsQuery): string {
  return JSON.stringify([
    query.instance,
    query.selector ?? null,
    query.appNames ?? null,
    query.project ?? null,
  ]);
}
