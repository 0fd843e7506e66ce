// Optional bearer-JWT authentication with jose: HS256 with a shared secret, or keys from a JWKS
// URL, with optional issuer and audience checks. Every run records the `sub` that created it.
import type { RequestHandler, Response } from 'express';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyOptions,
} from 'jose';
import { HttpError, type Logger } from '@arp-ts/service-kit';

export interface AuthOptions {
  /** Shared secret for HS256 tokens. */
  jwtSecret?: string;
  /** URL of a JSON Web Key Set for asymmetric tokens (RS*, PS*, ES*, EdDSA). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Allowed clock skew for exp/nbf, in seconds (default 5). */
  clockToleranceSeconds?: number;
}

export type Verifier = (token: string) => Promise<{ subject: string }>;

const ASYMMETRIC_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** A refusal with a fixed, header-safe description (never the verifier's own message). */
export class AuthRejected extends Error {
  constructor(
    readonly description: string,
    readonly errorCode: 'invalid_token' | 'invalid_request' = 'invalid_token',
    /** Set when the refusal comes from a failure of ours (e.g. the JWKS URL is unreachable). */
    readonly internalCause?: unknown,
  ) {
    super(description);
    this.name = 'AuthRejected';
  }
}

export function isAuthEnabled(options: AuthOptions | undefined): boolean {
  return Boolean(options?.jwtSecret || options?.jwksUrl);
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the token is for another audience';
    if (err.claim === 'iss') return 'the token is from another issuer';
    return `the token claim ${err.claim.replace(/[^A-Za-z0-9_-]/g, '')} is not valid`;
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return 'the signing keys could not be loaded';
  }
  if (err instanceof errors.JWKSNoMatchingKey) return 'no signing key matches the token';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature is not valid';
  return 'the token is not valid';
}

/** Builds the token verifier; undefined when authentication is off. */
export function createVerifier(options: AuthOptions | undefined): Verifier | undefined {
  if (!options || !isAuthEnabled(options)) return undefined;
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const base: JWTVerifyOptions = { clockTolerance: options.clockToleranceSeconds ?? 5 };
  if (options.issuer) base.issuer = options.issuer;
  if (options.audience) base.audience = options.audience;
  return async (token) => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthRejected('the token is not valid');
    }
    let payload;
    if (secret && (alg === 'HS256' || !jwks)) {
      try {
        ({ payload } = await jwtVerify(token, secret, { ...base, algorithms: ['HS256'] }));
      } catch (err) {
        throw new AuthRejected(describe(err));
      }
    } else if (jwks) {
      try {
        ({ payload } = await jwtVerify(token, jwks, { ...base, algorithms: ASYMMETRIC_ALGS }));
      } catch (err) {
        // A non-JOSE error is no verdict on the token: the key set could not be fetched.
        if (!(err instanceof errors.JOSEError)) {
          throw new AuthRejected('the signing keys could not be loaded', 'invalid_token', err);
        }
        throw new AuthRejected(describe(err));
      }
    } else {
      throw new AuthRejected('the token algorithm is not allowed');
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new AuthRejected('the token has no subject (sub)');
    }
    return { subject: payload.sub };
  };
}

function challenge(rejection?: AuthRejected): string {
  if (!rejection) return 'Bearer realm="arp"';
  return `Bearer realm="arp", error="${rejection.errorCode}", error_description="${rejection.description}"`;
}

function unauthorized(message: string, rejection?: AuthRejected): HttpError {
  return new HttpError(401, 'auth.unauthorized', message, undefined, {
    'WWW-Authenticate': challenge(rejection),
  });
}

/**
 * The subject of a request's `Authorization` header; rejects with a 401 HttpError carrying the
 * WWW-Authenticate challenge when the token is missing, malformed or refused.
 */
export async function authenticate(
  verify: Verifier,
  logger: Logger,
  header: string | undefined,
): Promise<string> {
  if (header === undefined || header.trim() === '') {
    throw unauthorized('A bearer token is required.');
  }
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw unauthorized(
      'The Authorization header must be "Bearer <token>".',
      new AuthRejected('expected a bearer token', 'invalid_request'),
    );
  }
  try {
    return (await verify(match[1])).subject;
  } catch (err) {
    const rejection =
      err instanceof AuthRejected ? err : new AuthRejected('the token is not valid');
    if (rejection.internalCause !== undefined) {
      logger.warn('could not verify a token', { err: rejection.internalCause });
    } else {
      logger.debug('token refused', { reason: rejection.description });
    }
    throw unauthorized(`The bearer token was refused: ${rejection.description}.`, rejection);
  }
}

/** The authenticated subject of a request (undefined when authentication is off). */
export function subjectOf(res: Response): string | undefined {
  const subject: unknown = res.locals.subject;
  return typeof subject === 'string' ? subject : undefined;
}

/** Refuses requests without a valid bearer token with 401 and a WWW-Authenticate challenge. */
export function requireBearer(verify: Verifier, logger: Logger): RequestHandler {
  return (req, res, next) => {
    authenticate(verify, logger, req.headers.authorization).then((subject) => {
      res.locals.subject = subject;
      next();
    }, next);
  };
}
