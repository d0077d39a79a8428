import { describe, expect, it } from 'vitest';
import { ConfigError, loadAwsConfig } from '../../src/config';

describe('loadAwsConfig', () => {
  it('has working defaults', () => {
    const config = loadAwsConfig({});

    expect(config).toMatchObject({
      primaryRegion: 'af-south-1',
      drRegion: 'eu-west-1',
      alarmPrefix: '',
      stakeholderChannels: [],
      callTimeoutMs: 8000,
      deferRegion: 'af-south-1',
      metrics: {
        apiNamespace: 'AWS/ApiGateway',
        api5xxMetric: '5XXError',
        apiLatencyMetric: 'Latency',
        apiDimension: 'ApiId',
        bedrockThrottleMetric: 'InvocationThrottles',
        windowMinutes: 15,
      },
    });
    expect(config.simulation).toBeUndefined();
    expect(config.deferFunctionName).toBeUndefined();
    expect(loadAwsConfig({}, 'runbook-bot-prod').deferFunctionName).toBe('runbook-bot-prod');
  });

  it('parses lists and key=value lists', () => {
    const config = loadAwsConfig({
      STAKEHOLDER_CHANNELS: 'C0AAA, C0BBB,',
      API_IDS: 'af-south-1=abc123,eu-west-1=def456',
    });

    expect(config.stakeholderChannels).toEqual(['C0AAA', 'C0BBB']);
    expect(config.metrics.apiIds).toEqual({ 'af-south-1': 'abc123', 'eu-west-1': 'def456' });
  });

  it.each([
    ['PRIMARY_REGION', 'Cape Town'],
    ['ALARM_CHANNEL', '#alerts'],
    ['STAKEHOLDER_CHANNELS', 'C0AAA,general'],
    ['AWS_CALL_TIMEOUT_MS', 'soon'],
    ['API_IDS', 'abc123'],
  ])('names %s when it is malformed', (variable, value) => {
    expect(() => loadAwsConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadAwsConfig({ [variable]: value })).toThrow(new RegExp(`^${variable} `));
  });
});
