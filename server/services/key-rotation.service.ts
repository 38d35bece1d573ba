// Rotating DATA_ENCRYPTION_KEY while the app runs. The replicas run with the new key as DATA_ENCRYPTION_KEY and the
// old one in DATA_ENCRYPTION_KEYS_PREVIOUS (so they read both and write only new); this re-encrypts what was written
// under the old key, a batch at a time. Each batch commits with the progress it made (app_settings), so a rotation
// killed at any point resumes where it stopped. When nothing is left under an old key, the database is marked as
// belonging to the new key and the old one is refused from then on.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { getSetting, setSetting } from '../db/repos/app-settings.repo.ts';
import { countNationalIdsNotSealedWith, sealedNationalIdsAfter, updateSealedNationalIds } from '../db/repos/borrowers.repo.ts';
import { countDocumentsNotSealedWith, sealedDocumentsAfter, updateSealedDocument } from '../db/repos/enrollment-documents.repo.ts';
import { countLiveLinkCodes } from '../db/repos/link-codes.repo.ts';
import { countPhotosNotSealedWith, sealedPhotosAfter, updateSealedPhoto } from '../db/repos/follow-ups.repo.ts';
import { countSlipsNotSealedWith, sealedSlipsAfter, updateSealedSlip } from '../db/repos/payment-slips.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { countEvidenceFilesNotSealedWith, sealedEvidenceFilesAfter, updateSealedEvidenceFile } from '../db/repos/centres.repo.ts';
import { announceKeyHolder, forgetKeyHolder, liveHoldersOfOtherKeys, type KeyHolder } from '../db/repos/key-holders.repo.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { completeKeyRotation } from '../security/encryption-key-check.ts';
import type { Clock } from './ports.ts';

const STATE_SETTING = 'key_rotation';

interface RotationState {
  /** The key this rotation moves everything to. */
  target: string;
  startedAt: string;
  borrowersAfter: number;
  documentsAfter: string | null;
  /** Officers' follow-up photos, sealed like documents (absent in a rotation saved before they existed). */
  photosAfter?: string | null;
  /** Transfer slips borrowers sent in the chat (absent in a rotation saved before they existed). */
  slipsAfter?: number;
  /** Model-centre evidence files, sealed like documents (absent in a rotation saved before they existed). */
  evidenceAfter?: string | null;
  reencryptedBorrowers: number;
  reencryptedDocuments: number;
}

export interface RotationProgress {
  phase: 'borrowers' | 'documents';
  done: number;
  reencrypted: number;
}

export interface RotationSummary {
  target: string;
  resumed: boolean;
  reencryptedBorrowers: number;
  reencryptedDocuments: number;
  /** Unused link codes issued under the old key: they stop working once it is removed (reissue them). */
  liveLinkCodesUnderOldKey: number;
  retiredKeys: string[];
}

export interface RotationOptions {
  batchSize?: number;
  /** After each committed batch (awaited: a slow listener slows the rotation, never races it). */
  onProgress?: (progress: RotationProgress) => void | Promise<void>;
}

export class NothingToRotateError extends Error {}

/** Rows still appear under an old key after full passes: some process still writes with it. */
export class RotationIncompleteError extends Error {}

/** A live process still encrypts with another key: retiring that key would leave its new rows unreadable. */
export class RotationBlockedError extends Error {
  constructor(readonly holders: KeyHolder[]) {
    super(
      `ยังมีเครื่องที่ใช้กุญแจเก่าเป็น DATA_ENCRYPTION_KEY อยู่ ${holders.length} เครื่อง — เริ่มเครื่องเหล่านี้ใหม่ด้วยกุญแจใหม่ก่อน ` +
        `(${holders.length} running process(es) still encrypt with another key: ` +
        holders.map((h) => `${h.host} pid ${h.pid} key ${h.keyId} since ${h.startedAt.toISOString()}`).join('; ') +
        '; restart them with the new DATA_ENCRYPTION_KEY and DATA_ENCRYPTION_KEYS_PREVIOUS, then run this again)',
    );
  }
}

/** Every process announces its key every minute; one not heard from for three minutes is taken as gone. */
export const KEY_HOLDER_HEARTBEAT_MS = 60_000;
const KEY_HOLDER_FRESH_SECONDS = 180;

async function refuseWhileOtherKeysWrite(db: Kysely<Database>, keyId: string): Promise<void> {
  const holders = await liveHoldersOfOtherKeys(db, keyId, KEY_HOLDER_FRESH_SECONDS);
  if (holders.length > 0) throw new RotationBlockedError(holders);
}

const MAX_PASSES = 3;

export async function rotateEncryptionKey(
  deps: { db: Kysely<Database>; cipher: PersonalDataCipher; clock: Clock },
  options: RotationOptions = {},
): Promise<RotationSummary> {
  const { db, cipher } = deps;
  if (cipher.keyIds.length < 2) {
    throw new NothingToRotateError('ไม่มีกุญแจเก่าให้เปลี่ยน: ตั้ง DATA_ENCRYPTION_KEY เป็นกุญแจใหม่ และ DATA_ENCRYPTION_KEYS_PREVIOUS เป็นกุญแจเดิม');
  }
  await refuseWhileOtherKeysWrite(db, cipher.keyId);
  const batchSize = options.batchSize ?? 500;
  const saved = JSON.parse((await getSetting(db, STATE_SETTING)) ?? 'null') as RotationState | null;
  const resumed = saved !== null && saved.target === cipher.keyId;
  const state: RotationState = resumed
    ? saved
    : { target: cipher.keyId, startedAt: deps.clock.now().toISOString(), borrowersAfter: 0, documentsAfter: null, reencryptedBorrowers: 0, reencryptedDocuments: 0 };
  const isCurrent = (sealed: string | Buffer) => cipher.keyIdOf(sealed) === cipher.keyId;

  const pass = async () => {
    // National IDs: re-encrypted, and their lookup hash recomputed under the new key, with the progress in one commit.
    let scanned = 0;
    for (;;) {
      const rows = await sealedNationalIdsAfter(db, state.borrowersAfter, batchSize);
      if (rows.length === 0) break;
      const changed = rows
        // An anonymised borrower holds no national ID any more (an empty cipher): nothing to re-encrypt.
        .filter((row) => row.cipher !== '' && !isCurrent(row.cipher))
        .map((row) => {
          const plain = cipher.decrypt(row.cipher);
          return { id: row.id, previous: row.cipher, cipher: cipher.encrypt(plain), hash: cipher.lookupHash(plain) };
        });
      state.borrowersAfter = rows[rows.length - 1]!.id;
      state.reencryptedBorrowers += changed.length;
      await db.transaction().execute(async (trx) => {
        await updateSealedNationalIds(trx, changed);
        await setSetting(trx, STATE_SETTING, JSON.stringify(state));
      });
      scanned += rows.length;
      await options.onProgress?.({ phase: 'borrowers', done: scanned, reencrypted: state.reencryptedBorrowers });
    }

    // Sealed files — application documents, officers' visit photos, transfer slips, model-centre evidence — are
    // re-sealed a batch at a time (documents are up to 5 MB each: ten at a time), counted together.
    scanned = 0;
    const reseal = async <Id extends string | number>(
      read: (after: Id | null) => Promise<Array<{ id: Id; content: Buffer }>>,
      write: (trx: Transaction<Database>, id: Id, content: Buffer) => Promise<void>,
      cursor: { get: () => Id | null; set: (id: Id) => void },
    ) => {
      for (;;) {
        const rows = await read(cursor.get());
        if (rows.length === 0) break;
        const changed = rows.filter((row) => !isCurrent(row.content)).map((row) => ({ id: row.id, content: cipher.sealBytes(cipher.openBytes(row.content)) }));
        cursor.set(rows[rows.length - 1]!.id);
        state.reencryptedDocuments += changed.length;
        await db.transaction().execute(async (trx) => {
          for (const row of changed) await write(trx, row.id, row.content);
          await setSetting(trx, STATE_SETTING, JSON.stringify(state));
        });
        scanned += rows.length;
        await options.onProgress?.({ phase: 'documents', done: scanned, reencrypted: state.reencryptedDocuments });
      }
    };
    await reseal((after) => sealedDocumentsAfter(db, after, Math.min(batchSize, 10)), updateSealedDocument, {
      get: () => state.documentsAfter,
      set: (id) => (state.documentsAfter = id),
    });
    await reseal((after) => sealedPhotosAfter(db, after, Math.min(batchSize, 50)), updateSealedPhoto, {
      get: () => state.photosAfter ?? null,
      set: (id) => (state.photosAfter = id),
    });
    await reseal((after) => sealedSlipsAfter(db, after ?? 0, Math.min(batchSize, 50)), updateSealedSlip, {
      get: () => state.slipsAfter ?? null,
      set: (id) => (state.slipsAfter = id),
    });
    await reseal((after) => sealedEvidenceFilesAfter(db, after, Math.min(batchSize, 10)), updateSealedEvidenceFile, {
      get: () => state.evidenceAfter ?? null,
      set: (id) => (state.evidenceAfter = id),
    });
  };

  // A pass re-encrypts what it finds; then the database counts what is still under an old key. Anything left was
  // written meanwhile by a process that still has the old key as its DATA_ENCRYPTION_KEY: pass again, and refuse to
  // retire the old key while that keeps happening.
  for (let passes = 1; ; passes += 1) {
    await pass();
    const left =
      (await countNationalIdsNotSealedWith(db, cipher.currentPrefixes.text)) +
      (await countDocumentsNotSealedWith(db, cipher.currentPrefixes.bytes)) +
      (await countPhotosNotSealedWith(db, cipher.currentPrefixes.bytes)) +
      (await countSlipsNotSealedWith(db, cipher.currentPrefixes.bytes)) +
      (await countEvidenceFilesNotSealedWith(db, cipher.currentPrefixes.bytes));
    if (left === 0) break;
    if (passes >= MAX_PASSES) {
      throw new RotationIncompleteError(
        `ยังมีข้อมูล ${left} รายการที่เข้ารหัสด้วยกุญแจเก่า หลังเข้ารหัสใหม่ครบ ${passes} รอบ — มีเครื่องที่ยังใช้กุญแจเก่าเป็น DATA_ENCRYPTION_KEY อยู่ ` +
          `ให้เริ่มทุกเครื่องใหม่ด้วยกุญแจใหม่ แล้วรันคำสั่งนี้อีกครั้ง (${left} rows are still sealed with an old key after ${passes} passes: ` +
          'a process still writes with the old key; restart every replica with the new DATA_ENCRYPTION_KEY and run this again)',
      );
    }
    state.borrowersAfter = 0;
    state.documentsAfter = null;
    state.photosAfter = null;
    state.slipsAfter = 0;
    state.evidenceAfter = null;
  }

  // Checked again at the end: a replica started with the old key meanwhile would keep writing with it.
  await refuseWhileOtherKeysWrite(db, cipher.keyId);
  const liveLinkCodesUnderOldKey = await countLiveLinkCodes(db, deps.clock.now(), new Date(state.startedAt));
  const retiredKeys = await completeKeyRotation(db, cipher);
  await recordAudit(db, {
    actor: 'cli',
    action: 'keys.rotate',
    subject: `key:${cipher.keyId}`,
    details: { retired: retiredKeys, borrowers: state.reencryptedBorrowers, documents: state.reencryptedDocuments, resumed },
    at: deps.clock.now(),
  });
  await setSetting(db, STATE_SETTING, 'null');
  return {
    target: cipher.keyId,
    resumed,
    reencryptedBorrowers: state.reencryptedBorrowers,
    reencryptedDocuments: state.reencryptedDocuments,
    liveLinkCodesUnderOldKey,
    retiredKeys,
  };
}

export interface KeyStatus {
  current: string;
  previous: string[];
  retired: string[];
  rotation: { target: string; startedAt: string; borrowersDone: number; documentsDone: number } | null;
}

export async function keyStatus(deps: { db: Kysely<Database>; cipher: PersonalDataCipher }): Promise<KeyStatus> {
  const saved = JSON.parse((await getSetting(deps.db, STATE_SETTING)) ?? 'null') as RotationState | null;
  return {
    current: deps.cipher.keyId,
    previous: deps.cipher.keyIds.filter((id) => id !== deps.cipher.keyId),
    retired: JSON.parse((await getSetting(deps.db, 'retired_key_ids')) ?? '[]') as string[],
    rotation: saved ? { target: saved.target, startedAt: saved.startedAt, borrowersDone: saved.reencryptedBorrowers, documentsDone: saved.reencryptedDocuments } : null,
  };
}

export function createKeyService(deps: {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
  clock: Clock;
  processId: string;
  host: string;
  onHeartbeatError?: (error: unknown) => void;
}) {
  const announce = () => announceKeyHolder(deps.db, { processId: deps.processId, keyId: deps.cipher.keyId, host: deps.host, pid: process.pid });
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    /** Says now, and every minute from now on, which key this process writes with. */
    async announce(): Promise<void> {
      await announce();
      heartbeat ??= setInterval(() => announce().catch((error: unknown) => deps.onHeartbeatError?.(error)), KEY_HOLDER_HEARTBEAT_MS);
      heartbeat.unref();
    },
    /** This process stops writing (at close). */
    async leave(): Promise<void> {
      clearInterval(heartbeat);
      heartbeat = undefined;
      await forgetKeyHolder(deps.db, deps.processId);
    },
    rotate: (options: RotationOptions = {}) => rotateEncryptionKey(deps, options),
    status: () => keyStatus(deps),
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
