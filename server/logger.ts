// pino JSON logs. Personal data is removed by configuration (redact), not by remembering to leave it out.
import pino, { type DestinationStream, type Logger } from 'pino';

const PERSONAL_KEYS = ['nationalId', 'national_id', 'phone', 'fullName', 'full_name', 'text', 'idToken', 'id_token', 'displayName'];

export const REDACT_PATHS = [
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((key) => `*.${key}`),
  ...PERSONAL_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers["x-line-signature"]',
  'req.headers["idempotency-key"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wdf-line' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
