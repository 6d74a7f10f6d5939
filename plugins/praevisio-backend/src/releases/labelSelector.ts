/*
 * Syntax check of a Kubernetes label selector string (the grammar of
 * k8s.io/apimachinery/pkg/labels.Parse), so that a malformed
 * `argocd/app-selector` annotation gets a clear message here instead of an
 * opaque 500 from Argo CD. Matching is left to Argo CD.
 */

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const OPERATORS = ['==', '!=', '=', '>', '<'];

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    return `label key '${key}' has an invalid prefix`;
  }
  if (name.length > 63 || !NAME.test(name)) {
    return `'${key}' is not a valid label key`;
  }
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '') {
    return undefined;
  }
  if (value.length > 63 || !NAME.test(value)) {
    return `'${value}' is not a valid label value`;
  }
  return undefined;
}

class SelectorParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): void {
    for (;;) {
      this.requirement();
      this.skipSpace();
      if (this.pos >= this.text.length) {
        return;
      }
      this.expect(',');
    }
  }

  private requirement(): void {
    this.skipSpace();
    const negated = this.peek() === '!';
    if (negated) {
      this.pos++;
      this.skipSpace();
    }
    const key = this.word();
    if (!key) {
      throw new Error(`expected a label key at position ${this.pos + 1}`);
    }
    this.check(keyProblem(key));
    this.skipSpace();
    if (negated || this.pos >= this.text.length || this.peek() === ',') {
      return; // existence test
    }
    const operator = OPERATORS.find(op => this.text.startsWith(op, this.pos));
    if (operator) {
      this.pos += operator.length;
      this.skipSpace();
      const value = this.word();
      if ((operator === '>' || operator === '<') && !/^\d+$/.test(value)) {
        throw new Error(
          `'${operator}' needs an integer value at position ${this.pos + 1}`,
        );
      }
      this.check(valueProblem(value));
      return;
    }
    const setOperator = this.word();
    if (setOperator !== 'in' && setOperator !== 'notin') {
      throw new Error(
        `expected an operator after '${key}' at position ${this.pos + 1}`,
      );
    }
    this.skipSpace();
    this.expect('(');
    for (;;) {
      this.skipSpace();
      this.check(valueProblem(this.word()));
      this.skipSpace();
      if (this.peek() === ')') {
        this.pos++;
        return;
      }
      this.expect(',');
    }
  }

  private word(): string {
    const match = /^[^\s,()!=<>]*/.exec(this.text.slice(this.pos));
    const word = match?.[0] ?? '';
    this.pos += word.length;
    return word;
  }

  private expect(char: string): void {
    if (this.peek() !== char) {
      const found = this.pos < this.text.length ? `'${this.peek()}'` : 'end';
      throw new Error(
        `expected '${char}' at position ${this.pos + 1}, found ${found}`,
      );
    }
    this.pos++;
  }

  private check(problem: string | undefined): void {
    if (problem) {
      throw new Error(problem);
    }
  }

  private peek(): string {
    return this.text[this.pos];
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos++;
    }
  }
}

/** Returns why `selector` is not a valid label selector, or undefined. */
export function labelSelectorProblem(selector: string): string | undefined {
  if (selector.trim() === '') {
    return 'it is empty';
  }
  try {
    new SelectorParser(selector).parse();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
