// Rich menus per role — unlinked, borrower, officer — made and kept by the app. At start-up any replica makes sure
// the menus of this build exist in LINE (found by role and content hash, created once under a lock), the unlinked
// one is the default, and each user has their role's menu: linked when they link or relink, and put right by a
// sweep when a menu changed or a link call failed.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import {
  clearLinkedMenu,
  deleteRichMenuRow,
  findRichMenu,
  insertRichMenu,
  menuRoleOf,
  recordLinkedMenu,
  unusedOldRichMenus,
  usersWithStaleMenu,
  type MenuRole,
} from '../db/repos/rich-menus.repo.ts';
import { withRichMenuLock } from '../db/repos/locks.repo.ts';
import type { Clock } from './ports.ts';

/** What the service needs from LINE (line/rich-menu-platform.ts). */
export interface RichMenuPlatform {
  /** The content hash of each role's menu as this build defines it. */
  hashes(): Record<MenuRole, string>;
  /** Creates the role's menu (object and image) in LINE; its id. */
  create(role: MenuRole): Promise<string>;
  /** The ids of the menus LINE has for this channel. */
  existing(): Promise<Set<string>>;
  setDefault(richMenuId: string): Promise<void>;
  link(lineUserIds: readonly string[], richMenuId: string): Promise<void>;
  unlink(lineUserId: string): Promise<void>;
  remove(richMenuId: string): Promise<void>;
}

export interface RichMenuDeps {
  db: Kysely<Database>;
  databaseKind: 'postgres' | 'pglite';
  platform: RichMenuPlatform;
  clock: Clock;
  log: Logger;
}

const LINK_BATCH = 500;

/** One ensure at a time per database in this process (its services share it); replicas wait on the advisory lock. */
const ensuring = new WeakMap<Kysely<Database>, Promise<Record<MenuRole, string>>>();

export function createRichMenuService(deps: RichMenuDeps) {
  const { db, platform, log } = deps;
  let current: Record<MenuRole, string> | undefined;

  /** The menus of this build, created if missing; the unlinked one made the default. Safe on every replica at once. */
  async function ensureMenus(): Promise<Record<MenuRole, string>> {
    const hashes = platform.hashes();
    const ensure = async () => {
      const ids = {} as Record<MenuRole, string>;
      // A menu we made may be gone from LINE (deleted in the console, or a simulator's LINE started afresh): it is
      // made again, and the sweep gives it to its users.
      let inLine: Set<string> | undefined;
      for (const role of Object.keys(hashes) as MenuRole[]) {
        let id = await findRichMenu(db, role, hashes[role]);
        if (id && !(inLine ??= await platform.existing()).has(id)) {
          log.warn({ role, richMenuId: id }, 'rich menu no longer in LINE; making it again');
          await deleteRichMenuRow(db, id);
          id = undefined;
        }
        if (!id) {
          id = await platform.create(role);
          await insertRichMenu(db, role, hashes[role], id, deps.clock.now());
          log.info({ role, richMenuId: id }, 'rich menu created');
          if (role === 'unlinked') await platform.setDefault(id);
        }
        ids[role] = id;
      }
      return ids;
    };
    const running = ensuring.get(db);
    if (running) return (current = await running);
    // PGlite serves one process (its folder lock), and its single connection cannot be held by a lock.
    const started = deps.databaseKind === 'pglite' ? ensure() : withRichMenuLock(db, ensure);
    ensuring.set(db, started);
    try {
      return (current = await started);
    } finally {
      ensuring.delete(db);
    }
  }

  async function menus(): Promise<Record<MenuRole, string>> {
    return current ?? ensureMenus();
  }

  /** Gives one user their role's menu now (after linking, relinking, following). Failures are left to the sweep. */
  async function syncUser(lineUserId: string): Promise<void> {
    try {
      const ids = await menus();
      const user = await menuRoleOf(db, lineUserId);
      if (!user) return;
      if (user.role === 'unlinked') {
        if (user.linkedMenuId === null) return;
        await platform.unlink(lineUserId);
        await clearLinkedMenu(db, [lineUserId]);
        return;
      }
      if (user.linkedMenuId === ids[user.role]) return;
      await platform.link([lineUserId], ids[user.role]);
      await recordLinkedMenu(db, [lineUserId], ids[user.role]);
    } catch (error) {
      log.warn({ err: error }, 'could not give a user their rich menu now; the sweep will');
    }
  }

  /** Puts right every user whose menu is not their role's (a menu that changed, a link that failed); then old menus go. */
  async function sweep(): Promise<{ relinked: number; removed: number }> {
    const ids = await menus();
    let relinked = 0;
    for (;;) {
      const stale = await usersWithStaleMenu(db, ids, LINK_BATCH * 4);
      if (stale.length === 0) break;
      for (const role of ['borrower', 'officer'] as const) {
        const users = stale.filter((u) => u.role === role).map((u) => u.lineUserId);
        for (let start = 0; start < users.length; start += LINK_BATCH) {
          const batch = users.slice(start, start + LINK_BATCH);
          await platform.link(batch, ids[role]);
          await recordLinkedMenu(db, batch, ids[role]);
          relinked += batch.length;
        }
      }
      for (const user of stale.filter((u) => u.role === 'unlinked')) {
        await platform.unlink(user.lineUserId);
        await clearLinkedMenu(db, [user.lineUserId]);
        relinked += 1;
      }
    }
    let removed = 0;
    for (const old of await unusedOldRichMenus(db, new Set(Object.values(ids)))) {
      try {
        await platform.remove(old);
      } catch (error) {
        log.warn({ err: error, richMenuId: old }, 'could not delete an old rich menu in LINE');
        continue;
      }
      await deleteRichMenuRow(db, old);
      removed += 1;
    }
    return { relinked, removed };
  }

  return { ensureMenus, syncUser, sweep };
}

export type RichMenuService = ReturnType<typeof createRichMenuService>;
