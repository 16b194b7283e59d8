import { formatDemoCredentials, parseDemoCredentials } from './demo-credentials';

describe('the demo credentials file', () => {
  it('keeps API keys and webhook secrets per organisation, and reads back what it wrote', () => {
    const credentials = {
      'hotline-de': { apiKey: 'axk_0123456789abcdef_key' },
      'ngo-de-1': {
        apiKey: 'axk_fedcba9876543210_key',
        webhookSecret: { secretId: '00112233aabbccdd', secret: 'whsec_c2VjcmV0' },
      },
    };
    expect(parseDemoCredentials(formatDemoCredentials(credentials))).toEqual(credentials);
  });

  it('reads the first format (organisation id → API key), so earlier keys are kept', () => {
    expect(parseDemoCredentials('{"hotline-de": "axk_0123456789abcdef_key"}')).toEqual({
      'hotline-de': { apiKey: 'axk_0123456789abcdef_key' },
    });
  });
});
