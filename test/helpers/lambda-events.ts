/** Lambda events as AWS delivers them, for tests and benchmarks of the Lambda entry (src/entry/lambda.ts). */

/** An API Gateway HTTP API (v2) event as API Gateway delivers it for POST /slack/events. */
export function apiGatewayV2Event(
  body: string,
  headers: Record<string, string>,
  opts: { base64?: boolean; json?: boolean } = {},
) {
  const timeEpoch = Date.now();
  return {
    version: '2.0',
    routeKey: 'POST /slack/events',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
      host: 'abc123.execute-api.af-south-1.amazonaws.com',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-forwarded-proto': 'https',
      ...headers,
    },
    requestContext: {
      accountId: '333333333333',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.af-south-1.amazonaws.com',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '3.4.5.6',
        userAgent: 'Slackbot 1.0',
      },
      requestId: `req-${timeEpoch}`,
      routeKey: 'POST /slack/events',
      stage: '$default',
      time: new Date(timeEpoch).toUTCString(),
      timeEpoch,
    },
    body: opts.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: opts.base64 ?? false,
  };
}
