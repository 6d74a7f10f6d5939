/**
 * Types of SLI definitions: Keptn prometheus-service style `sli.yaml` files
 * that map SLI names to PromQL templates.
 */

/** A parsed, validated `sli.yaml`. @public */
export interface SliDocument {
  specVersion?: string;
  /** PromQL templates by SLI name, in document order. */
  indicators: Record<string, string>;
}

/**
 * Values for the placeholders of a PromQL template.
 *
 * | placeholder | value |
 * | --- | --- |
 * | `$SERVICE` (Keptn also `$service`) | `service` |
 * | `$PROJECT` (`$project`) | `project` |
 * | `$STAGE` (`$stage`) | `stage` |
 * | `$DEPLOYMENT` | `deployment` (Keptn: the deployment type, e.g. `canary`, `primary`) |
 * | `$NAMESPACE` | `namespace` (Praevisio addition) |
 * | `$ENVIRONMENT` | `environment` (Praevisio addition) |
 * | `$DURATION_SECONDS` | `duration`, e.g. `300s` (see `durationForWindow`) |
 * | `$LABEL.<name>` | `labels[name]` |
 *
 * @public
 */
export interface SliRenderContext {
  service?: string;
  project?: string;
  stage?: string;
  deployment?: string;
  namespace?: string;
  environment?: string;
  /** A PromQL duration matching `[0-9]+(ms|s|m|h|d|w|y)`. */
  duration?: string;
  /** Custom labels; names must match `[a-zA-Z_][a-zA-Z0-9_]*`. */
  labels?: Readonly<Record<string, string>>;
}

/**
 * Where a placeholder sits in a template, which decides how its value is
 * written:
 *
 * - `double`, `single`, `raw`: inside a `"…"`, `'…'` or `` `…` `` string literal;
 *   the value is escaped for that literal (the quotes belong to the template);
 * - `bare`: outside any string literal; only `$DURATION_SECONDS` may stand
 *   there, and its value must be a duration.
 *
 * @public
 */
export type SliPlaceholderPosition = 'double' | 'single' | 'raw' | 'bare';

/** One placeholder found in a template. @public */
export interface SliPlaceholder {
  /** As written, e.g. `$SERVICE` or `$LABEL.team`. */
  raw: string;
  /** The context key it reads: `service`, …, `duration`, or `label` with `label` set. */
  key:
    | 'service'
    | 'project'
    | 'stage'
    | 'deployment'
    | 'namespace'
    | 'environment'
    | 'duration'
    | 'label';
  /** For `$LABEL.<name>`: the label name. */
  label?: string;
  position: SliPlaceholderPosition;
  /**
   * The literal is a regular expression (right of `=~` / `!~`, or the regex
   * argument of `label_replace`): the value is regex-quoted before escaping.
   */
  regex: boolean;
  /** 0-based offset of the `$` in the template. */
  offset: number;
}

/** A template checked and split into text and placeholders. @public */
export interface CompiledSliTemplate {
  template: string;
  /** Text (with `$$` already turned into `$`) and placeholders, in order. */
  parts: ReadonlyArray<string | SliPlaceholder>;
  placeholders: ReadonlyArray<SliPlaceholder>;
}
