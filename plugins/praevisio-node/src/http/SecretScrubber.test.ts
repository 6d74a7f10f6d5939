import { REDACTED, SecretScrubber } from './SecretScrubber';

describe('SecretScrubber', () => {
  it('removes registered secrets in plain, URL-encoded and base64 form', () => {
    const scrubber = new SecretScrubber(['p@ss word!', undefined, 'ab']);
    scrubber.add('session-token-123');
    const text = scrubber.scrub(
      `pw=p@ss word! enc=${encodeURIComponent('p@ss word!')} b64=${Buffer.from(
        'p@ss word!',
      ).toString('base64')} tok session-token-123 ab`,
    );
    expect(text).not.toContain('p@ss');
    expect(text).not.toContain('session-token-123');
    expect(text).not.toContain(Buffer.from('p@ss word!').toString('base64'));
    // too short to be a secret: left alone
    expect(text).toMatch(/ ab$/);
  });

  it('removes credentials it was never told about', () => {
    const scrubber = new SecretScrubber();
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const text = scrubber.scrub(
      [
        'Authorization: Bearer abc.def-ghi',
        `cookie: argocd.token=${jwt}; other=1`,
        `{"password":"hunter2","token":"t0ken","user":"bob"}`,
        'https://bob:hunter2@example.com/x?token=qwerty&a=1',
        `raw ${jwt}`,
      ].join('\n'),
    );
    expect(text).not.toMatch(/abc\.def|hunter2|t0ken|qwerty|eyJ/);
    expect(text).toContain('"user":"bob"');
    expect(text).toContain('a=1');
    expect(text).toContain(REDACTED);
  });
});
