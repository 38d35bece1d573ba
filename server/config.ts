// The only reader of process.env: one zod parse at start-up, failing fast with a message that names the variable.
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { StartupError } from './startup-error.ts';

const onOff = z
  .enum(['on', 'off'])
  .default('on')
  .transform((value) => value === 'on');

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: all interfaces, except in simulator mode (see loadConfig). */
  HOST: optionalText,
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'ต้องขึ้นต้นด้วย postgres://').optional()),
  /**
   * Connections per replica to PostgreSQL; the sum over replicas must stay under the server's max_connections.
   * At least 2: the dispatcher holds one for its cross-replica lock while its work uses another.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  PGLITE_DIR: z.string().default('./data/pglite'),
  LINE_CHANNEL_SECRET: optionalText,
  LINE_CHANNEL_ACCESS_TOKEN: optionalText,
  LINE_API_BASE_URL: z.url().default('https://api.line.me'),
  LINE_DATA_API_BASE_URL: z.url().default('https://api-data.line.me'),
  LINE_LOGIN_CHANNEL_ID: optionalText,
  LIFF_ID: optionalText,
  /** Give up waiting for an answer from LINE after this long; the call is retried with the same retry key. */
  LINE_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  SCHEDULER: onOff,
  NODE_ENV: optionalText,
  /** on: the simulator even with a DATABASE_URL (never in production); unset: only without a DATABASE_URL. */
  SIMULATOR: z.enum(['on', 'off']).optional(),
  DATA_ENCRYPTION_KEY: optionalText,
  /** Keys being rotated away, comma-separated (base64): they decrypt, they never encrypt. */
  DATA_ENCRYPTION_KEYS_PREVIOUS: optionalText,
  /** Data of loans closed more than this many years ago is anonymised (PDPA retention). */
  RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(10),
  CRON_RETENTION: z.string().default('15 3 * * *'),
  /** When set, GET /metrics asks for `Authorization: Bearer <token>` (the endpoint is open otherwise). */
  METRICS_TOKEN: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Outgoing LINE messages per second across this replica's dispatcher. */
  DISPATCH_RATE_PER_SECOND: z.coerce.number().int().min(1).max(2000).default(500),
  /** Cron expressions (Asia/Bangkok) for the scheduled jobs. */
  CRON_BORROWER_REMINDERS: z.string().default('5 * * * *'),
  CRON_OFFICER_DIGEST: z.string().default('30 8 * * *'),
  CRON_DISPATCH: z.string().default('* * * * *'),
  /** ISO weekday of the officers' weekly digest (1 = Monday); the daily officer job sends it from that day on. */
  DIGEST_WEEKDAY: z.coerce.number().int().min(1).max(7).default(1),
  /** Day of the month from which officers are reminded to hold the monthly debtor forum. */
  FORUM_REMINDER_DAY: z.coerce.number().int().min(1).max(28).default(1),
  /** Days after a promised payment date that a payment still counts; the promise is judged the day after. */
  PROMISE_GRACE_DAYS: z.coerce.number().int().min(0).max(30).default(0),
  /** The official account's add-friend link (https://line.me/R/ti/p/@…), printed as a QR code on link-code slips. */
  LINE_ADD_FRIEND_URL: optionalText.pipe(z.url().optional()),
  /** The fund's PromptPay bill-payment biller ID (tax ID + 2-digit suffix from the bank); unset: no QR, counter and transfer are explained. */
  PROMPTPAY_BILLER_ID: optionalText.pipe(z.string().regex(/^\d{15}$/, 'ต้องเป็นตัวเลข 15 หลัก (must be 15 digits)').optional()),
});

export type Environment = z.input<typeof environmentSchema>;
/** Every variable read, for the checks that docker-compose.yml and README name them all. */
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape) as Array<keyof Environment>;

export interface LineSettings {
  timeoutMs?: number;
  channelSecret: string;
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  loginChannelId: string;
}

export interface AppConfig {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'pglite'; dataDir: string };
  /** No LINE credentials: run the in-process fake LINE platform, demo data and the /simulator page. */
  simulator: boolean;
  /** Why this configuration may not start the server (production without LINE credentials, …); the CLI may still run. */
  serverStartProblem: string | undefined;
  /** Present in production; in simulator mode the fake platform's values are filled in at start-up. */
  line: LineSettings | undefined;
  liffId: string;
  publicUrl: string | undefined;
  schedulerEnabled: boolean;
  /** 32 bytes, or undefined when it should come from the key file beside the embedded data. */
  dataEncryptionKey: Buffer | undefined;
  /** Keys a rotation is moving away from: decrypt only. */
  previousEncryptionKeys: Buffer[];
  retentionYears: number;
  metricsToken: string | undefined;
  logLevel: string;
  dispatchRatePerSecond: number;
  cron: { borrowerReminders: string; officerDigest: string; dispatch: string; retention: string };
  digestWeekday: number;
  forumReminderDay: number;
  promiseGraceDays: number;
  /** Printed on link-code slips; in simulator mode a placeholder. */
  addFriendUrl: string | undefined;
  /** PROMPTPAY_BILLER_ID: borrowers get a bill-payment QR in the chat; undefined: the counter and transfer text. */
  promptPayBillerId: string | undefined;
}

export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`การตั้งค่าไม่ถูกต้อง (configuration error):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The demo LIFF id used when none is configured; the simulator serves the mini-app for it. */
export const SIMULATOR_LIFF_ID = '0000000000-simulator';
/** What the simulator prints on link-code slips (no real account to add). */
export const SIMULATOR_ADD_FRIEND_URL = 'https://line.me/R/ti/p/@wdf-simulator';

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  // The simulator (demo data, an open /simulator page, a fake LINE) must never start by accident against real data:
  // only without LINE credentials, outside production, and without a DATABASE_URL unless asked for explicitly.
  const production = e.NODE_ENV === 'production';
  const withoutLine = !e.LINE_CHANNEL_SECRET;
  if (e.SIMULATOR === 'on' && production) problems.push('SIMULATOR: "on" is not allowed with NODE_ENV=production');
  const simulator = withoutLine && !production && (e.SIMULATOR === 'on' || (e.SIMULATOR === undefined && !e.DATABASE_URL));
  const serverStartProblem = !withoutLine || simulator
    ? undefined
    : production
      ? 'LINE_CHANNEL_SECRET: ต้องตั้งค่าเมื่อ NODE_ENV=production — ไม่เริ่มระบบจำลองกับข้อมูลจริง (production refuses to start without LINE credentials; set LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, LINE_LOGIN_CHANNEL_ID, LIFF_ID)'
      : e.SIMULATOR === 'off'
        ? 'LINE_CHANNEL_SECRET: ไม่ได้ตั้งค่า และ SIMULATOR=off — ตั้งค่า LINE หรือเอา SIMULATOR=off ออก (no LINE credentials and SIMULATOR=off: set the LINE settings, or drop SIMULATOR=off for the simulator)'
        : 'LINE_CHANNEL_SECRET: ไม่ได้ตั้งค่า และมี DATABASE_URL — ตั้ง SIMULATOR=on หากต้องการระบบจำลองกับฐานข้อมูลนี้ (no LINE credentials with a DATABASE_URL: set the LINE settings, or SIMULATOR=on for the simulator against this database)';
  let line: LineSettings | undefined;
  if (!withoutLine) {
    if (!e.LINE_CHANNEL_ACCESS_TOKEN) problems.push('LINE_CHANNEL_ACCESS_TOKEN: required when LINE_CHANNEL_SECRET is set');
    if (!e.LINE_LOGIN_CHANNEL_ID) problems.push('LINE_LOGIN_CHANNEL_ID: required to verify LIFF ID tokens');
    if (!e.LIFF_ID) problems.push('LIFF_ID: required when LINE_CHANNEL_SECRET is set');
    if (!e.DATA_ENCRYPTION_KEY) problems.push('DATA_ENCRYPTION_KEY: required outside simulator mode (32 random bytes, base64)');
    line = {
      channelSecret: e.LINE_CHANNEL_SECRET!,
      channelAccessToken: e.LINE_CHANNEL_ACCESS_TOKEN ?? '',
      apiBaseUrl: e.LINE_API_BASE_URL,
      dataApiBaseUrl: e.LINE_DATA_API_BASE_URL,
      loginChannelId: e.LINE_LOGIN_CHANNEL_ID ?? '',
      timeoutMs: e.LINE_HTTP_TIMEOUT_MS,
    };
  }

  let dataEncryptionKey: Buffer | undefined;
  if (e.DATA_ENCRYPTION_KEY) {
    dataEncryptionKey = Buffer.from(e.DATA_ENCRYPTION_KEY, 'base64');
    if (dataEncryptionKey.length !== 32) {
      problems.push(`DATA_ENCRYPTION_KEY: must decode to 32 bytes (got ${dataEncryptionKey.length}); create one with: openssl rand -base64 32`);
    }
  }
  for (const [name, expression] of [['CRON_BORROWER_REMINDERS', e.CRON_BORROWER_REMINDERS], ['CRON_OFFICER_DIGEST', e.CRON_OFFICER_DIGEST], ['CRON_DISPATCH', e.CRON_DISPATCH]]) {
    if (!validateCron(expression!)) problems.push(`${name}: not a valid cron expression: "${expression}"`);
  }
  const previousEncryptionKeys = (e.DATA_ENCRYPTION_KEYS_PREVIOUS ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((text) => Buffer.from(text, 'base64'));
  if (previousEncryptionKeys.some((key) => key.length !== 32)) problems.push('DATA_ENCRYPTION_KEYS_PREVIOUS: each key must decode to 32 bytes (base64, comma-separated)');
  if (!validateCron(e.CRON_RETENTION)) problems.push(`CRON_RETENTION: not a valid cron expression: "${e.CRON_RETENTION}"`);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    // The simulator hands anyone who reaches it a login as anyone (its personas, the mini-app): only this machine may,
    // unless HOST says otherwise.
    host: e.HOST ?? (simulator ? '127.0.0.1' : '0.0.0.0'),
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } : { kind: 'pglite', dataDir: e.PGLITE_DIR },
    simulator,
    serverStartProblem,
    line,
    liffId: e.LIFF_ID ?? SIMULATOR_LIFF_ID,
    publicUrl: e.PUBLIC_URL,
    schedulerEnabled: e.SCHEDULER,
    dataEncryptionKey,
    previousEncryptionKeys,
    retentionYears: e.RETENTION_YEARS,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    dispatchRatePerSecond: e.DISPATCH_RATE_PER_SECOND,
    cron: { borrowerReminders: e.CRON_BORROWER_REMINDERS, officerDigest: e.CRON_OFFICER_DIGEST, dispatch: e.CRON_DISPATCH, retention: e.CRON_RETENTION },
    digestWeekday: e.DIGEST_WEEKDAY,
    forumReminderDay: e.FORUM_REMINDER_DAY,
    promiseGraceDays: e.PROMISE_GRACE_DAYS,
    addFriendUrl: e.LINE_ADD_FRIEND_URL ?? (simulator ? SIMULATOR_ADD_FRIEND_URL : undefined),
    promptPayBillerId: e.PROMPTPAY_BILLER_ID,
  };
}
