import { SliTemplateError } from './errors';
import { regexQuote } from './promqlQuote';
import { compileSliTemplate, renderSliTemplate } from './template';
import { lexPromql, PromqlToken } from './__testUtils__/promqlLexer';

function templateError(fn: () => unknown): SliTemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SliTemplateError) return e;
    throw e;
  }
  throw new Error('expected an SliTemplateError');
}

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '"',
  "'",
  '`',
  '\\',
  '\\"',
  "\\'",
  '\\n',
  '\\u0022',
  '\\x22',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u2028',
  '\u2029',
  '}',
  '{',
  ')',
  '(',
  ']',
  '[',
  ',',
  '#',
  '$',
  '$$',
  '$SERVICE',
  '$LABEL.x',
  ' or vector(1) ',
  '"}) or vector(1) #',
  "'}) or vector(1) #",
  '`) or vector(1) #',
  '=~',
  '!~',
  '.*',
  '|',
  '^',
  '+',
  '?',
  'é',
  'Grüße',
  '😀',
  '中文',
  'a',
  'job',
  ' ',
];

function randomHostile(random: () => number): string {
  const count = 1 + Math.floor(random() * 12);
  let s = '';
  for (let i = 0; i < count; i++) {
    if (random() < 0.15) {
      // Any BMP code point that is not a surrogate.
      let cp = Math.floor(random() * 0xffff);
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
      s += String.fromCharCode(cp);
    } else {
      s += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
    }
  }
  return s;
}

const CURATED = [
  '"}) or vector(1) #',
  '"} or vector(1) #',
  "'}) or vector(1) #",
  '`}) or vector(1) #',
  '\\',
  '\\\\',
  '\\"',
  'a\nb',
  'a\r\nb',
  '}',
  '{',
  '$SERVICE',
  '$$',
  '.*',
  'a|b',
  '^foo$',
  'Grüße 🚀 ☃ 中文',
  '\u2028\u2029',
  '\u0000\u0001\u001f',
  `${'x'.repeat(100_000)}"}) or vector(1)`,
];

const MARKER = 'MARKERxMARKER';

interface Case {
  name: string;
  template: string;
  /** Whether the placeholder sits in a regex literal. */
  regex: boolean;
  /** Values that cannot be represented in this literal and must be refused. */
  refuses?: (v: string) => boolean;
}

const CASES: Case[] = [
  {
    name: 'double-quoted equality matcher',
    template:
      'sum(rate(http_requests_total{job="$SERVICE",stage="prod"}[$DURATION_SECONDS])) # by $SERVICE',
    regex: false,
  },
  {
    name: 'single-quoted matcher (Keptn style)',
    template:
      "sum(rate(http_requests_total{job='$SERVICE-$PROJECT-$STAGE-canary'}[$DURATION_SECONDS]))",
    regex: false,
  },
  {
    name: 'double-quoted regex matcher',
    template: 'sum(up{instance=~"$SERVICE", job!~ "$SERVICE"})',
    regex: true,
  },
  {
    name: 'single-quoted regex matcher',
    template: "count(up{instance=~'$SERVICE'})",
    regex: true,
  },
  {
    name: 'label_replace regex argument',
    template: 'label_replace(up, "dst", "$1", "instance", "$SERVICE")',
    regex: true,
  },
  {
    name: 'raw string',
    template: 'sum(up{job=`$SERVICE`})',
    regex: false,
    refuses: v => v.includes('`'),
  },
  {
    name: 'custom label in a string',
    template: 'avg(latency{team="$LABEL.team"}) / on() group_left vector(1)',
    regex: false,
  },
];

function renderFor(c: Case, value: string): string {
  return renderSliTemplate(c.template, {
    service: value,
    project: value,
    stage: value,
    duration: '300s',
    labels: { team: value },
  });
}

function expectSameStructure(
  c: Case,
  value: string,
  benign: PromqlToken[],
): void {
  const rendered = renderFor(c, value);
  const tokens = lexPromql(rendered);
  expect(tokens.map(t => t.type)).toEqual(benign.map(t => t.type));
  tokens.forEach((t, k) => {
    const b = benign[k];
    if (t.type !== 'string') {
      expect(t.text).toBe(b.text);
      return;
    }
    expect(t.quote).toBe(b.quote);
    const substituted = c.regex ? regexQuote(value) : value;
    expect(t.value).toBe(b.value!.split(MARKER).join(substituted));
  });
}

describe('compileSliTemplate', () => {
  it('finds placeholders with their literal and regex position', () => {
    const compiled = compileSliTemplate(
      `sum(rate(x{a="$SERVICE",b='$STAGE',c=~"$PROJECT.*",d=\`$LABEL.team\`}[$DURATION_SECONDS])) # $NOPE`,
    );
    expect(
      compiled.placeholders.map(p => [p.raw, p.key, p.position, p.regex]),
    ).toEqual([
      ['$SERVICE', 'service', 'double', false],
      ['$STAGE', 'stage', 'single', false],
      ['$PROJECT', 'project', 'double', true],
      ['$LABEL.team', 'label', 'raw', false],
      ['$DURATION_SECONDS', 'duration', 'bare', false],
    ]);
    expect(compiled.placeholders[0].offset).toBe(14);
  });

  it('knows Keptn lower-case aliases, $DEPLOYMENT, $NAMESPACE and $ENVIRONMENT', () => {
    const q = renderSliTemplate(
      'up{a="$service",b="$project",c="$stage",d="$DEPLOYMENT",e="$NAMESPACE",f="$ENVIRONMENT"}',
      {
        service: 's',
        project: 'p',
        stage: 'st',
        deployment: 'canary',
        namespace: 'ns',
        environment: 'prod',
      },
    );
    expect(q).toBe('up{a="s",b="p",c="st",d="canary",e="ns",f="prod"}');
  });

  it('keeps $1, ${1} and $$ as PromQL needs them', () => {
    expect(
      renderSliTemplate(
        'label_replace(up{job="$SERVICE"}, "a", "$1-${1}", "b", "(.*)$$")',
        { service: 'x' },
      ),
    ).toBe('label_replace(up{job="x"}, "a", "$1-${1}", "b", "(.*)$")');
  });

  it('rejects unknown placeholders, naming them', () => {
    const e = templateError(() => compileSliTemplate('up{job="$SERIVCE"}'));
    expect(e.placeholder).toBe('$SERIVCE');
    expect(e.message).toMatch(/^Placeholder \$SERIVCE: unknown placeholder/);
    // Keptn's prometheus-service has no $DURATION.
    expect(
      templateError(() => compileSliTemplate('rate(x[$DURATION])')).placeholder,
    ).toBe('$DURATION');
    expect(
      templateError(() => compileSliTemplate('up{job="$LABEL."}')).placeholder,
    ).toBe('$LABEL.');
  });

  it('refuses placeholders outside string literals, except $DURATION_SECONDS', () => {
    const e = templateError(() => compileSliTemplate('up{job=$SERVICE}'));
    expect(e.placeholder).toBe('$SERVICE');
    expect(e.reason).toMatch(/must stand inside a quoted string literal/);
    expect(
      templateError(() => compileSliTemplate('sum by ($LABEL.dim) (up)'))
        .placeholder,
    ).toBe('$LABEL.dim');
    expect(() =>
      compileSliTemplate('rate(x[$DURATION_SECONDS])'),
    ).not.toThrow();
  });

  it('rejects unterminated literals and line breaks inside quotes', () => {
    expect(
      templateError(() => compileSliTemplate('up{job="x}')).reason,
    ).toMatch(/unterminated string literal starting at offset 7/);
    expect(
      templateError(() => compileSliTemplate('up{job="a\nb"}')).reason,
    ).toMatch(/line break inside the string literal/);
    expect(() => compileSliTemplate('up{job=`a\nb`}')).not.toThrow();
    expect(templateError(() => compileSliTemplate('  ')).reason).toBe(
      'the template is empty',
    );
  });

  it('does not substitute inside comments', () => {
    expect(
      renderSliTemplate('up{job="$SERVICE"} # $SERVICE $WHATEVER', {
        service: 'a\nb',
      }),
    ).toBe('up{job="a\\nb"} # $SERVICE $WHATEVER');
  });
});

describe('renderSliTemplate', () => {
  it('renders the Keptn example', () => {
    expect(
      renderSliTemplate(
        "sum(rate(http_requests_total{job='$SERVICE-$PROJECT-$STAGE-canary',status!~'2..'}[$DURATION_SECONDS]))",
        {
          service: 'carts',
          project: 'sockshop',
          stage: 'dev',
          duration: '300s',
        },
      ),
    ).toBe(
      "sum(rate(http_requests_total{job='carts-sockshop-dev-canary',status!~'2..'}[300s]))",
    );
  });

  it('writes label values as JSON string escapes and regex values regex-quoted', () => {
    expect(
      renderSliTemplate('up{a="$SERVICE",b=~"$SERVICE"}', {
        service: 'x"}.*\\',
      }),
    ).toBe(String.raw`up{a="x\"}.*\\",b=~"x\"\\}\\.\\*\\\\"}`);
  });

  it('names the placeholder of a missing, empty or invalid value', () => {
    const missing = templateError(() =>
      renderSliTemplate('up{job="$SERVICE"}', {}),
    );
    expect(missing.message).toBe(
      'Placeholder $SERVICE: has no value: give the service name',
    );
    expect(
      templateError(() =>
        renderSliTemplate('up{job="$LABEL.team"}', { labels: {} }),
      ).placeholder,
    ).toBe('$LABEL.team');
    expect(
      templateError(() => renderSliTemplate('up{job="$STAGE"}', { stage: '' }))
        .reason,
    ).toBe('is empty');
    for (const bad of [
      '5',
      '5 m',
      '1h30m',
      '300s) or vector(1',
      '-1s',
      '1.5s',
    ]) {
      const e = templateError(() =>
        renderSliTemplate('rate(x[$DURATION_SECONDS])', { duration: bad }),
      );
      expect(e.placeholder).toBe('$DURATION_SECONDS');
      expect(e.reason).toMatch(/must be a duration matching/);
    }
    for (const ok of ['300s', '5m', '250ms', '1h', '2d', '1w', '1y', '0s']) {
      expect(
        renderSliTemplate('rate(x[$DURATION_SECONDS])', { duration: ok }),
      ).toBe(`rate(x[${ok}])`);
    }
    const surrogate = templateError(() =>
      renderSliTemplate('up{job="$SERVICE"}', { service: 'a\ud800b' }),
    );
    expect(surrogate.placeholder).toBe('$SERVICE');
    expect(surrogate.reason).toMatch(/unpaired UTF-16 surrogate/);
    const backtick = templateError(() =>
      renderSliTemplate('up{job=`$SERVICE`}', { service: 'a`b' }),
    );
    expect(backtick.reason).toMatch(/contains a backtick/);
  });

  it('refuses label names that are not PromQL label names', () => {
    const e = templateError(() =>
      renderSliTemplate('up', { labels: { 'build-id': '5' } }),
    );
    expect(e.placeholder).toBe('$LABEL.build-id');
    expect(e.reason).toMatch(/\[a-zA-Z_\]\[a-zA-Z0-9_\]\*/);
  });

  it('accepts a compiled template', () => {
    const compiled = compileSliTemplate('up{job="$SERVICE"}');
    expect(renderSliTemplate(compiled, { service: 'a' })).toBe('up{job="a"}');
    expect(renderSliTemplate(compiled, { service: 'b' })).toBe('up{job="b"}');
  });
});

describe('renderSliTemplate with hostile values (property test)', () => {
  const random = prng(0x5eed);
  const generated = Array.from({ length: 400 }, () => randomHostile(random));

  for (const c of CASES) {
    it(`keeps the structure: ${c.name}`, () => {
      const benign = lexPromql(renderFor(c, MARKER));
      const values = [...CURATED, ...generated];
      const refused = values.filter(v => c.refuses?.(v) ?? false);
      const accepted = values.filter(v => !(c.refuses?.(v) ?? false));
      for (const value of refused) {
        expect(() => renderFor(c, value)).toThrow(SliTemplateError);
      }
      for (const value of accepted) {
        expectSameStructure(c, value, benign);
      }
      expect(accepted.length).toBeGreaterThan(250);
    });
  }

  it('regex-quoted values match exactly themselves', () => {
    const c = CASES.find(x => x.name === 'double-quoted regex matcher')!;
    for (const value of [...CURATED.slice(0, -1), ...generated]) {
      const tokens = lexPromql(renderFor(c, value));
      const literal = tokens.find(t => t.type === 'string')!.value!;
      // Prometheus anchors matchers: ^(?:…)$. JS and RE2 agree on quoted metacharacters.
      const re = new RegExp(`^(?:${literal})$`, 'su');
      expect(re.test(value)).toBe(true);
      expect(re.test(`${value}x`)).toBe(false);
      expect(re.test(`x${value}`)).toBe(false);
    }
  });
});
