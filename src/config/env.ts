import { z } from 'zod';

// The only module that reads process.env. Everything else receives a parsed Config.

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const secretKey = (name: string) =>
  z
    .string({ error: `${name} is required (at least 16 characters; generate one with: openssl rand -base64 32)` })
    .min(16, `${name} must be at least 16 characters`);

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_BASE_URL: optionalString.pipe(z.url({ error: 'PUBLIC_BASE_URL must be an absolute URL' }).optional()),
    DATABASE_URL: optionalString,
    DATABASE_SCHEMA: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'DATABASE_SCHEMA must be a lowercase SQL identifier')
        .optional(),
    ),
    DATA_DIR: z.string().default('./.data'),
    HUBSPOT_API_BASE_URL: z
      .url({ error: 'HUBSPOT_API_BASE_URL must be an absolute URL' })
      .default('https://api.hubapi.com'),
    HUBSPOT_AUTHORIZE_URL: z.url().default('https://app.hubspot.com/oauth/authorize'),
    HUBSPOT_ACCESS_TOKEN: optionalString,
    HUBSPOT_PORTAL_ID: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,15}$/, 'HUBSPOT_PORTAL_ID must be a numeric HubSpot account id')
        .transform(Number)
        .optional(),
    ),
    HUBSPOT_CLIENT_ID: optionalString,
    HUBSPOT_CLIENT_SECRET: optionalString,
    HUBSPOT_REDIRECT_URI: optionalString.pipe(
      z.url({ error: 'HUBSPOT_REDIRECT_URI must be an absolute URL' }).optional(),
    ),
    HUBSPOT_APP_ID: optionalString,
    // Dev only (`hs project dev`): the local proxy signs the localhost URL it forwards to, not the public one.
    HUBSPOT_SIGNED_BASE_URL: optionalString.pipe(
      z
        .url({ error: 'HUBSPOT_SIGNED_BASE_URL must be an absolute URL' })
        .refine((u) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(u).hostname), {
          error: 'HUBSPOT_SIGNED_BASE_URL is for `hs project dev` only: use a localhost or 127.0.0.1 URL',
        })
        .refine((u) => new URL(u).pathname === '/' && !new URL(u).search, {
          error: 'HUBSPOT_SIGNED_BASE_URL must be an origin (scheme, host, port), without path or query',
        })
        .optional(),
    ),
    SURVEY_SIGNING_KEY: secretKey('SURVEY_SIGNING_KEY'),
    ENCRYPTION_KEY: secretKey('ENCRYPTION_KEY'),
    SMTP_URL: optionalString.pipe(
      z.url({ error: 'SMTP_URL must be a URL such as smtp://user:pass@host:587' }).optional(),
    ),
    MAIL_FROM: z.string().default('NPS Loop <nps@localhost>'),
    NPS_SETTINGS_FILE: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional()),
    RUN_WORKERS: z.enum(['true', 'false']).default('true'),
    // How many reverse proxies in front of the app may be believed about the client's address (X-Forwarded-For);
    // sign-in throttling counts failures per client address. 0: the socket's address.
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Detractor alert webhooks to private, loopback or link-local addresses: off (refused) unless set, for local
    // development and tests only; refused with NODE_ENV=production. ALERTS_WEBHOOK_CA_FILE: an extra CA (PEM)
    // trusted for alert webhooks (a test or dev server's self-signed certificate).
    ALERTS_ALLOW_PRIVATE_WEBHOOKS: z.enum(['true', 'false']).default('false'),
    ALERTS_WEBHOOK_CA_FILE: optionalString,
    // Survey texts through Twilio (src/sms). TWILIO_API_BASE_URL points the SDK at a stand-in (tests, demo).
    TWILIO_ACCOUNT_SID: optionalString.pipe(
      z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_FROM: optionalString.pipe(
      z
        .string()
        .regex(
          /^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/,
          'TWILIO_FROM must be an E.164 number (+4512345678) or a sender id',
        )
        .optional(),
    ),
    TWILIO_MESSAGING_SERVICE_SID: optionalString.pipe(
      z
        .string()
        .regex(/^MG[0-9a-fA-F]{32}$/, 'TWILIO_MESSAGING_SERVICE_SID must look like MG followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_API_BASE_URL: optionalString.pipe(
      z.url({ error: 'TWILIO_API_BASE_URL must be an absolute URL' }).optional(),
    ),
    NODE_ENV: optionalString,
  })
  .superRefine((env, ctx) => {
    const twilio = env.TWILIO_ACCOUNT_SID !== undefined || env.TWILIO_AUTH_TOKEN !== undefined;
    if (twilio) {
      for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const)
        if (env[name] === undefined)
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required to send survey texts` });
      if (env.TWILIO_FROM === undefined && env.TWILIO_MESSAGING_SERVICE_SID === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['TWILIO_FROM'],
          message: 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required to send survey texts',
        });
    }
    if (env.ALERTS_ALLOW_PRIVATE_WEBHOOKS === 'true' && env.NODE_ENV === 'production')
      ctx.addIssue({
        code: 'custom',
        path: ['ALERTS_ALLOW_PRIVATE_WEBHOOKS'],
        message:
          'ALERTS_ALLOW_PRIVATE_WEBHOOKS is for development and tests: it is refused with NODE_ENV=production (it would let alert webhooks reach internal addresses)',
      });
    const single = env.HUBSPOT_ACCESS_TOKEN !== undefined || env.HUBSPOT_PORTAL_ID !== undefined;
    if (single && (env.HUBSPOT_ACCESS_TOKEN === undefined || env.HUBSPOT_PORTAL_ID === undefined)) {
      const missing = env.HUBSPOT_ACCESS_TOKEN === undefined ? 'HUBSPOT_ACCESS_TOKEN' : 'HUBSPOT_PORTAL_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `${missing} is required in single-portal mode (set both HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID)`,
      });
    }
    const oauth = env.HUBSPOT_CLIENT_ID !== undefined || env.HUBSPOT_REDIRECT_URI !== undefined;
    if (oauth) {
      for (const name of ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_REDIRECT_URI'] as const) {
        if (env[name] === undefined)
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required in OAuth mode` });
      }
    }
    if (!single && !oauth) {
      ctx.addIssue({
        code: 'custom',
        path: ['HUBSPOT_ACCESS_TOKEN'],
        message:
          'no HubSpot connection configured: set HUBSPOT_ACCESS_TOKEN + HUBSPOT_PORTAL_ID (single portal) or HUBSPOT_CLIENT_ID + HUBSPOT_CLIENT_SECRET + HUBSPOT_REDIRECT_URI (OAuth)',
      });
    }
    if (env.HUBSPOT_CLIENT_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['HUBSPOT_CLIENT_SECRET'],
        message:
          'HUBSPOT_CLIENT_SECRET is required: it verifies the signatures of webhooks, workflow actions and card requests',
      });
    }
  });

export interface Config {
  port: number;
  publicBaseUrl: string;
  databaseUrl?: string;
  /** Postgres schema for this install's tables (several installs can share one database). */
  databaseSchema?: string;
  dataDir: string;
  hubspot: {
    apiBaseUrl: string;
    authorizeUrl: string;
    clientSecret: string;
    appId?: string;
    /** Dev only: a second base URL card-request signatures may be computed over (the `hs project dev` proxy's). */
    signedBaseUrl?: string;
    /** Single-portal (static token) mode. */
    staticPortal?: { portalId: number; accessToken: string };
    /** OAuth multi-portal mode. */
    oauth?: { clientId: string; clientSecret: string; redirectUri: string };
  };
  surveySigningKey: string;
  encryptionKey: string;
  smtpUrl?: string;
  mailFrom: string;
  settingsFile?: string;
  logLevel: string;
  adminToken?: string;
  runWorkers: boolean;
  /** Reverse proxies trusted for X-Forwarded-For (Express "trust proxy" hop count); 0 trusts none. */
  trustProxyHops: number;
  alerts: {
    /** Alert webhooks may reach private, loopback and link-local addresses (development and tests only). */
    allowPrivateWebhooks: boolean;
    /** Path of an extra CA certificate (PEM) trusted for alert webhooks. */
    webhookCaFile?: string;
  };
  /** Survey texts; absent when Twilio is not configured (SMS invitations are then skipped). */
  twilio?: TwilioConfig;
}

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** A sender number or alphanumeric id, or a messaging service (which picks the sender). */
  from?: string;
  messagingServiceSid?: string;
  /** Where the SDK's requests go instead of https://api.twilio.com (a stand-in); undefined for Twilio itself. */
  apiBaseUrl?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default). Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const clientSecret = e.HUBSPOT_CLIENT_SECRET as string;
  return {
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    dataDir: e.DATA_DIR,
    hubspot: {
      apiBaseUrl: e.HUBSPOT_API_BASE_URL.replace(/\/+$/, ''),
      authorizeUrl: e.HUBSPOT_AUTHORIZE_URL,
      clientSecret,
      appId: e.HUBSPOT_APP_ID,
      signedBaseUrl: e.HUBSPOT_SIGNED_BASE_URL?.replace(/\/+$/, ''),
      staticPortal:
        e.HUBSPOT_ACCESS_TOKEN !== undefined && e.HUBSPOT_PORTAL_ID !== undefined
          ? { portalId: e.HUBSPOT_PORTAL_ID, accessToken: e.HUBSPOT_ACCESS_TOKEN }
          : undefined,
      oauth:
        e.HUBSPOT_CLIENT_ID !== undefined && e.HUBSPOT_REDIRECT_URI !== undefined
          ? { clientId: e.HUBSPOT_CLIENT_ID, clientSecret, redirectUri: e.HUBSPOT_REDIRECT_URI }
          : undefined,
    },
    surveySigningKey: e.SURVEY_SIGNING_KEY,
    encryptionKey: e.ENCRYPTION_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    settingsFile: e.NPS_SETTINGS_FILE,
    logLevel: e.LOG_LEVEL,
    adminToken: e.ADMIN_TOKEN,
    runWorkers: e.RUN_WORKERS === 'true',
    trustProxyHops: e.TRUST_PROXY_HOPS,
    alerts: {
      allowPrivateWebhooks: e.ALERTS_ALLOW_PRIVATE_WEBHOOKS === 'true',
      webhookCaFile: e.ALERTS_WEBHOOK_CA_FILE,
    },
    twilio:
      e.TWILIO_ACCOUNT_SID !== undefined && e.TWILIO_AUTH_TOKEN !== undefined
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM,
            messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
            apiBaseUrl: e.TWILIO_API_BASE_URL?.replace(/\/+$/, ''),
          }
        : undefined,
  };
}

/** Read-only access to the process environment for CLI entry points that pass it on to loadConfig. */
export function processEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
