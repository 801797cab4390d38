import { createPrivateKey, KeyObject, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { z } from 'zod'
import { parseOptions } from '../config/parse-options.js'
import { ConfigError } from '../errors/error-kinds.js'
import { OAuth2Provider } from './oauth2-provider.js'
import { clientAuthSchema, tokenOptionsShape, tokenUrlSchema } from './token-options.js'
import { requestToken } from './token-request.js'

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

// The key type each signing algorithm needs (RFC 7518 §3.1).
const KEY_TYPES = {
  RS256: ['rsa'],
  RS384: ['rsa'],
  RS512: ['rsa'],
  PS256: ['rsa', 'rsa-pss'],
  PS384: ['rsa', 'rsa-pss'],
  PS512: ['rsa', 'rsa-pss'],
  ES256: ['ec'],
  ES384: ['ec'],
  ES512: ['ec'],
} as const satisfies Record<string, readonly string[]>

type SigningAlgorithm = keyof typeof KEY_TYPES

/**
 * OAuth2 JWT bearer grant (RFC 7523 §2.1), as Salesforce uses it: a signed assertion instead of a
 * secret. ServiceNow also wants a client id and secret, which `clientSecret` adds.
 */
export const jwtBearerAuthSchema = z.object({
  type: z.literal('oauth2-jwt-bearer'),
  tokenUrl: tokenUrlSchema,
  /** The assertion's issuer (`iss`): Salesforce's connected-app consumer key. */
  clientId: z.string().min(1),
  /** The assertion's subject (`sub`): the user to act as, e.g. a Salesforce username. */
  subject: z.string().min(1),
  /** The assertion's audience (`aud`), e.g. `https://login.salesforce.com`. */
  audience: z.string().min(1),
  /** A PKCS#8 PEM string or a private `KeyObject`. */
  privateKey: z.union([
    z.string().min(1),
    z.custom<KeyObject>((value) => value instanceof KeyObject, 'must be a PEM string or a KeyObject'),
  ]),
  algorithm: z.enum(Object.keys(KEY_TYPES) as [SigningAlgorithm, ...SigningAlgorithm[]]).default('RS256'),
  /** How long each assertion is valid; Salesforce allows about three minutes of clock skew. */
  expiresInSeconds: z.number().int().positive().max(3600).default(180),
  /** Sent with `clientId` only when given (ServiceNow needs it; Salesforce does not). */
  clientSecret: z.string().min(1).optional(),
  clientAuth: clientAuthSchema,
  ...tokenOptionsShape,
})

/** Options for `jwtBearerAuth`. */
export type JwtBearerAuthConfig = z.input<typeof jwtBearerAuthSchema>

/** A provider that signs a fresh assertion (with jose) and runs the JWT bearer grant whenever it needs a token. */
export function jwtBearerAuth(input: JwtBearerAuthConfig): OAuth2Provider {
  const config = parseOptions(jwtBearerAuthSchema, input, 'auth')
  const key = privateKey(config.privateKey, config.algorithm)
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString()
  let lastAssertion: string | undefined
  return new OAuth2Provider({
    ...config,
    grant: async (context, redactor) => {
      lastAssertion = await sign(config, key)
      return requestToken(context, {
        tokenUrl: config.tokenUrl,
        form: { grant_type: JWT_BEARER_GRANT, assertion: lastAssertion },
        client:
          config.clientSecret === undefined
            ? undefined
            : { id: config.clientId, secret: config.clientSecret, auth: config.clientAuth },
        redactor,
      })
    },
    secrets: () => [
      pem,
      ...(typeof config.privateKey === 'string' ? [config.privateKey] : []),
      // Each line of the key body, should a key ever be quoted piecemeal.
      ...pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')),
      ...(config.clientSecret === undefined ? [] : [config.clientSecret]),
      ...(lastAssertion === undefined ? [] : [lastAssertion]),
    ],
  })
}

// Checked at construction, so a bad key fails where it is configured rather than on the first call.
function privateKey(value: string | KeyObject, algorithm: SigningAlgorithm): KeyObject {
  let key: KeyObject
  try {
    key = typeof value === 'string' ? createPrivateKey({ key: value, format: 'pem' }) : value
  } catch {
    // The parser's own message is dropped: it may quote the input.
    throw invalidKey('is not a readable PKCS#8 PEM private key')
  }
  if (key.type !== 'private') throw invalidKey(`must be a private key, not a ${key.type} key`)
  const expected: readonly string[] = KEY_TYPES[algorithm]
  if (key.asymmetricKeyType === undefined || !expected.includes(key.asymmetricKeyType)) {
    throw invalidKey(
      `is a ${key.asymmetricKeyType ?? 'unknown'} key; ${algorithm} needs ${expected.join(' or ')}`,
    )
  }
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (bits !== undefined && bits < 2048) throw invalidKey(`is ${bits} bits; RSA keys need at least 2048`)
  return key
}

function invalidKey(problem: string): ConfigError {
  return new ConfigError({ message: `invalid auth options: privateKey ${problem}`, option: 'privateKey' })
}

async function sign(
  config: {
    clientId: string
    subject: string
    audience: string
    algorithm: SigningAlgorithm
    expiresInSeconds: number
  },
  key: KeyObject,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  try {
    return await new SignJWT({})
      .setProtectedHeader({ alg: config.algorithm })
      .setIssuer(config.clientId)
      .setSubject(config.subject)
      .setAudience(config.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + config.expiresInSeconds)
      .setJti(randomUUID())
      .sign(key)
  } catch {
    // e.g. an EC key on another curve than the algorithm's; jose's message is not needed to fix it.
    throw invalidKey(`cannot sign ${config.algorithm} assertions`)
  }
}
