/**
 * HTTP status codes and the words people use for them ("lots of 504s", "gateway timeout", "forbidden"),
 * compiled into search synonyms both ways (terms/index.ts). The reason phrases are RFC 9110's, plus the
 * informal names on-call engineers say.
 */

export const HTTP_STATUS: Readonly<Record<number, readonly string[]>> = {
  400: ['bad request'],
  401: ['unauthorized', 'unauthorised', 'unauthenticated'],
  403: ['forbidden', 'access denied'],
  404: ['not found'],
  405: ['method not allowed'],
  408: ['request timeout'],
  409: ['conflict'],
  410: ['gone'],
  412: ['precondition failed'],
  413: ['payload too large', 'request too large'],
  415: ['unsupported media type'],
  422: ['unprocessable entity', 'unprocessable content'],
  429: ['too many requests', 'rate limited', 'throttled', 'throttling'],
  500: ['internal server error', 'server error'],
  501: ['not implemented'],
  502: ['bad gateway'],
  503: ['service unavailable'],
  504: ['gateway timeout', 'gateway time-out'],
};

/** Status classes: `5xx`, `4xx`. */
export const HTTP_CLASSES: Readonly<Record<string, string>> = {
  '5xx': 'server error',
  '4xx': 'client error',
};
