// The one place that reads the environment (ARCHITECTURE.md: configuration is read once at the entry).
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Config {
  /** Where the local object store lives (storage = 'fs'). */
  dataDir: string;
  storage: 'fs' | 's3';
  s3: { bucket: string; endpoint?: string; region: string; forcePathStyle: boolean; prefix: string };
  /** Scratch space for DuckDB spill, downloads and staging (Lambda: /tmp). */
  scratchDir: string;
  port: number;
  duckdb: { memoryLimit?: string; threads?: number };
  onLambda: boolean;
  /** True on a TTY outside CI: progress lines are drawn; otherwise commands stay quiet. */
  interactive: boolean;
  /** Staff uploads that go straight to storage through a presigned PUT (lib/api/staff-direct-upload.ts). */
  directUploads?: {
    /** Largest file accepted (default 2 GiB). */
    maxBytes: number;
    /** HMAC key of the folder store's presigned URLs; random per process when unset. */
    signingSecret?: string;
  };
  /**
   * Where browsers reach the app when a proxy sits in front (lib/api/public-origin.ts): on AWS the
   * portal's CloudFront distribution sends staff and API paths to API Gateway, so the request URL
   * names the API's host, not the one in the browser's address bar.
   */
  viewer: {
    /** Origins (https://data.mpo.example) the app is also served at; a forwarded host naming one is trusted. */
    publicOrigins: string[];
    /** The value CloudFront sends to the API in every origin request: with it, any forwarded host is trusted. */
    edgeSecret?: string;
  };
  /** Local staff sign-in (lib/auth): one configured account; AWS uses Cognito instead. */
  auth: {
    adminUser?: string;
    /** scrypt hash from `corridor user hash-password`. */
    adminPasswordHash?: string;
    /** sha256 of an API token (hex), from `corridor user token`; sent as Authorization: Bearer. */
    adminTokenSha256?: string;
    /** Role of the configured account: viewer, analyst or admin (default admin). */
    adminRole?: string;
    /** HMAC key for session cookies; a random one per process when unset. */
    sessionSecret?: string;
    /** Cognito on AWS (cdk/constructs/staff-user-pool.ts): when set, staff present its JWTs. */
    cognito?: CognitoConfig;
  };
}

/** The staff user pool (cdk/constructs/staff-user-pool.ts sets these on the api function). */
export interface CognitoConfig {
  issuer: string;
  clientId: string;
  jwksUrl: string;
  /** Base URL of the hosted sign-in (managed login), e.g. https://<prefix>.auth.<region>.amazoncognito.com:
   * when set, /staff/login sends browsers there (authorization code + PKCE). */
  domain?: string;
  /** Only for a confidential app client; the portal's client is public (PKCE instead of a secret). */
  clientSecret?: string;
  /** The registered callback URL, …/staff/auth/callback; default: this request's origin. */
  redirectUri?: string;
  /** The registered sign-out URL Cognito returns to; default: the callback URL's origin + '/'. */
  logoutUri?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const onLambda = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const lambdaMemMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 0);
  const bucket = env.CORRIDOR_BUCKET ?? '';
  const config: Config = {
    dataDir: resolve(env.CORRIDOR_DATA_DIR ?? '.corridor'),
    storage: bucket ? 's3' : 'fs',
    s3: {
      bucket,
      endpoint: env.CORRIDOR_S3_ENDPOINT || undefined,
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      forcePathStyle: Boolean(env.CORRIDOR_S3_ENDPOINT),
      prefix: env.CORRIDOR_S3_PREFIX ?? '',
    },
    scratchDir: onLambda ? '/tmp/corridor' : (env.CORRIDOR_SCRATCH_DIR ?? join(tmpdir(), 'corridor')),
    port: Number(env.PORT ?? 8080),
    duckdb: {
      // DuckDB's limit covers only its buffer manager: leave ~40% of a Lambda's memory to Node and I/O.
      memoryLimit:
        env.CORRIDOR_DUCKDB_MEMORY ?? (lambdaMemMb ? `${Math.floor(lambdaMemMb * 0.6)}MB` : undefined),
      threads: env.CORRIDOR_DUCKDB_THREADS ? Number(env.CORRIDOR_DUCKDB_THREADS) : undefined,
    },
    onLambda,
    interactive: Boolean(process.stderr.isTTY) && !env.CI,
    directUploads: {
      maxBytes: Number(env.CORRIDOR_DIRECT_UPLOAD_BYTES) || 2 * 1024 ** 3,
      signingSecret: env.CORRIDOR_UPLOAD_SIGNING_SECRET || undefined,
    },
    viewer: {
      publicOrigins: publicOrigins(env.CORRIDOR_PUBLIC_ORIGINS),
      edgeSecret: env.CORRIDOR_EDGE_SECRET || undefined,
    },
    auth: {
      adminUser: env.CORRIDOR_ADMIN_USER || undefined,
      adminPasswordHash: env.CORRIDOR_ADMIN_PASSWORD_HASH || undefined,
      adminTokenSha256: env.CORRIDOR_ADMIN_TOKEN_SHA256 || undefined,
      adminRole: env.CORRIDOR_ADMIN_ROLE || undefined,
      sessionSecret: env.CORRIDOR_SESSION_SECRET || undefined,
      cognito:
        env.CORRIDOR_COGNITO_ISSUER && env.CORRIDOR_COGNITO_CLIENT_ID
          ? {
              issuer: env.CORRIDOR_COGNITO_ISSUER,
              clientId: env.CORRIDOR_COGNITO_CLIENT_ID,
              jwksUrl:
                env.CORRIDOR_COGNITO_JWKS_URL || `${env.CORRIDOR_COGNITO_ISSUER}/.well-known/jwks.json`,
              domain: env.CORRIDOR_COGNITO_DOMAIN?.replace(/\/+$/, '') || undefined,
              clientSecret: env.CORRIDOR_COGNITO_CLIENT_SECRET || undefined,
              redirectUri: env.CORRIDOR_COGNITO_REDIRECT_URI || undefined,
              logoutUri: env.CORRIDOR_COGNITO_LOGOUT_URI || undefined,
            }
          : undefined,
    },
  };
  return { ...config, ...overrides };
}

/** CORRIDOR_PUBLIC_ORIGINS: comma-separated http(s) URLs, kept as origins; anything else is a configuration error. */
function publicOrigins(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const u = URL.canParse(s) ? new URL(s) : undefined;
      if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:'))
        throw new Error(`CORRIDOR_PUBLIC_ORIGINS: not an http(s) origin: ${s}`);
      return u.origin;
    });
}
