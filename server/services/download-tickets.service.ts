// One-time links to an officer's files. LINE's in-app browser cannot save a file the page fetched itself (a blob), so
// the mini-app asks for a ticket and opens the file's address with it in the phone's browser, where no LIFF ID token
// exists. The ticket stands in for the token once, for that address only, for two minutes; the officer's role and
// area are checked again when it is used, exactly as with a token.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { insertDownloadTicket, takeDownloadTicket } from '../db/repos/download-tickets.repo.ts';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from './ports.ts';

const TICKET_SECONDS = 120;
/** Only files of the officers' pages are ever fetched this way. */
const DOWNLOADABLE = /^\/api\/liff\/officer\/[A-Za-z0-9/_-]+[./](xlsx|pdf)(\?[A-Za-z0-9=&%._+-]*)?$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function createDownloadTickets(deps: { db: Kysely<Database>; clock: Clock }) {
  return {
    /** A ticket for `path` (with its query), to be appended as `ticket=…`; the caller is a verified LINE user. */
    async issue(lineUserId: string, path: string): Promise<{ url: string; expiresInSeconds: number }> {
      if (!DOWNLOADABLE.test(path)) throw new DomainError('VALIDATION', 'ไฟล์นี้ดาวน์โหลดผ่านลิงก์ไม่ได้ค่ะ');
      const token = randomBytes(24).toString('base64url');
      const at = deps.clock.now();
      await insertDownloadTicket(deps.db, { tokenHash: hashOf(token), lineUserId, path, at, expiresAt: new Date(at.getTime() + TICKET_SECONDS * 1000) });
      return { url: `${path}${path.includes('?') ? '&' : '?'}ticket=${token}`, expiresInSeconds: TICKET_SECONDS };
    },

    /**
     * The LINE user a ticket stands for, given the address it was used on (the ticket last in the query); undefined
     * when there is no ticket there. A wrong, used or expired one is refused.
     */
    async redeem(url: string): Promise<string | undefined> {
      const match = /^(.*)[?&]ticket=([A-Za-z0-9_-]{20,64})$/.exec(url);
      if (!match) return undefined;
      const lineUserId = await takeDownloadTicket(deps.db, hashOf(match[2]!), match[1]!, deps.clock.now());
      if (!lineUserId) throw new DomainError('GONE', 'ลิงก์ดาวน์โหลดนี้ใช้ไปแล้วหรือหมดอายุแล้วค่ะ กรุณากดดาวน์โหลดจากหน้าในแอปอีกครั้ง');
      return lineUserId;
    },
  };
}

export type DownloadTickets = ReturnType<typeof createDownloadTickets>;
