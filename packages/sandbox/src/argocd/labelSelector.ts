/**
 * Kubernetes label selector parsing and matching (the `selector` query of
 * `GET /api/v1/applications`, which argocd-server hands to `labels.Parse`).
 * Supports `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k>n` and `k<n`.
 */

type Operator = 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin' | '>' | '<';

interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export class LabelSelectorError extends Error {}

const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?';
const KEY_RE = new RegExp(
  `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${NAME}$`,
);
const VALUE_RE = new RegExp(`^(${NAME})?$`);

function validateKey(key: string): string {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!KEY_RE.test(key) || name.length > 63) {
    throw new LabelSelectorError(
      `unable to parse requirement: invalid label key "${key}"`,
    );
  }
  return key;
}

function validateValue(value: string): string {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw new LabelSelectorError(
      `unable to parse requirement: invalid label value: "${value}"`,
    );
  }
  return value;
}

/** Splits on commas that are not inside a `( … )` value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) {
      throw new LabelSelectorError(`unexpected ")" in selector "${selector}"`);
    }
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) {
    throw new LabelSelectorError(`unterminated "(" in selector "${selector}"`);
  }
  parts.push(current);
  return parts.map(p => p.trim());
}

function parseRequirement(text: string): Requirement {
  if (text === '') {
    throw new LabelSelectorError("found '', expected: identifier");
  }
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const values = setMatch[3].split(',').map(v => validateValue(v.trim()));
    return {
      key: validateKey(setMatch[1]),
      operator: setMatch[2] as Operator,
      values,
    };
  }
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (opMatch) {
    const op = opMatch[2] === '==' ? '=' : (opMatch[2] as Operator);
    const value = opMatch[3].trim();
    if ((op === '>' || op === '<') && !/^-?\d+$/.test(value)) {
      throw new LabelSelectorError(
        `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
    return {
      key: validateKey(opMatch[1]),
      operator: op,
      values: [validateValue(value)],
    };
  }
  if (text.startsWith('!')) {
    return {
      key: validateKey(text.slice(1).trim()),
      operator: '!exists',
      values: [],
    };
  }
  return { key: validateKey(text), operator: 'exists', values: [] };
}

export class LabelSelector {
  private constructor(private readonly requirements: Requirement[]) {}

  static parse(selector: string | null | undefined): LabelSelector {
    const trimmed = (selector ?? '').trim();
    if (trimmed === '') {
      return new LabelSelector([]);
    }
    return new LabelSelector(splitRequirements(trimmed).map(parseRequirement));
  }

  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.requirements.every(r => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      const value = l[r.key];
      switch (r.operator) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case '=':
          return has && value === r.values[0];
        case '!=':
          return !has || value !== r.values[0];
        case 'in':
          return has && r.values.includes(value);
        case 'notin':
          return !has || !r.values.includes(value);
        case '>':
          return (
            has && /^-?\d+$/.test(value) && Number(value) > Number(r.values[0])
          );
        case '<':
          return (
            has && /^-?\d+$/.test(value) && Number(value) < Number(r.values[0])
          );
        default:
          return false;
      }
    });
  }
}
