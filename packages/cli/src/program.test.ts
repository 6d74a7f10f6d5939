import { memoryIo } from './__testUtils__/memoryIo';
import { SLO_YAML } from './__testUtils__/fixtures';
import { runCli } from './program';

describe('runCli', () => {
  it.each([
    [
      ['--help'],
      /Usage: praevisio \[options\] \[command\][\s\S]*gate[\s\S]*canary/,
    ],
    [
      ['gate', '--help'],
      /Usage: praevisio gate \[options\] \[command\][\s\S]*evaluate/,
    ],
    [
      ['gate', 'evaluate', '--help'],
      /--sli-values <file>[\s\S]*Exit codes:\n {2}0 {2}pass\n {2}1 {2}warning\n {2}2 {2}fail\n {2}3 {2}errored/,
    ],
    [
      ['canary', 'judge', '--help'],
      /--baseline <file>[\s\S]*Exit codes:\n {2}0 {2}Pass\n {2}1 {2}Marginal\n {2}2 {2}Fail\n {2}3 {2}bad input/,
    ],
    [['--version'], /^0\.\d+\.\d+\n$/],
  ])('%j prints to stdout and exits 0', async (argv, output) => {
    const io = memoryIo();
    expect(await runCli(argv, io)).toBe(0);
    expect(io.out).toMatch(output);
    expect(io.err).toBe('');
  });

  it('does not offer audit verify or report export', async () => {
    const io = memoryIo();
    await runCli(['--help'], io);
    expect(io.out).not.toMatch(/audit|report/);
  });

  it.each([
    [[], /Usage: praevisio/],
    [['gate'], /Usage: praevisio gate/],
    [
      ['gate', 'evaluate'],
      /error: required option '--slo <file>' not specified/,
    ],
    [
      ['canary', 'judge', '--config', 'c.json'],
      /required option '--baseline <file>' not specified/,
    ],
    [
      ['gate', 'evaluate', '--slo', 'slo.yaml', '--bogus'],
      /error: unknown option '--bogus'/,
    ],
    [['audit', 'verify'], /error: unknown command 'audit'/],
  ])('%j is a usage error: exit 3', async (argv, message) => {
    const io = memoryIo();
    expect(await runCli(argv, io)).toBe(3);
    expect(io.err).toMatch(message);
  });

  it('runs gate evaluate with repeated --label options', async () => {
    const io = memoryIo({
      'slo.yaml': SLO_YAML,
      'values.json': '{"response_time_p95": 100, "error_rate": 0}',
    });
    expect(
      await runCli(
        [
          'gate',
          'evaluate',
          '--slo',
          'slo.yaml',
          '--sli-values',
          'values.json',
        ],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.out).result).toBe('pass');

    const bad = memoryIo({
      'slo.yaml': SLO_YAML,
      'sli.yaml': 'indicators: {a: up}',
    });
    expect(
      await runCli(
        [
          'gate',
          'evaluate',
          '--slo',
          'slo.yaml',
          '--sli',
          'sli.yaml',
          '--prometheus',
          'http://127.0.0.1:9',
          '--start',
          '1',
          '--end',
          '2',
          '--label',
          'a=1',
          '--label',
          'a=2',
        ],
        bad,
      ),
    ).toBe(3);
    expect(bad.err).toBe('--label: label a is given twice\n');
  });
});
