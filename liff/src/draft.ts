// The application being filled in, kept on the phone: it survives a dropped connection, a closed window and a
// reload, and its Idempotency-Key makes a repeated "send" find the same application instead of a second one.

export interface DraftDocument {
  id: string;
  name: string;
  contentType: string;
  byteSize: number;
  /** When it was uploaded (absent in drafts saved before): the server deletes a file not sent within a day. */
  uploadedAt?: string;
}

/** A file uploaded longer ago than this may be gone from the server (it keeps unsent uploads for 24 hours). */
export const DOCUMENT_KEPT_MS = 23 * 60 * 60 * 1000;

export interface Draft {
  step: number;
  contractNo: string;
  measureCode: string;
  reasonCode: string;
  reason: string;
  monthlyIncome: string;
  monthlyExpenses: string;
  affordableMonthlyPayment: string;
  phone: string;
  documents: DraftDocument[];
  consent: boolean;
  idempotencyKey: string;
  /** When "send" was last tapped and no answer came back (lost on the way, or the app was closed): null when not. */
  sentAt: string | null;
  savedAt: string;
}

const PREFIX = 'wdf-liff:draft:v1:';

/** Where a LINE user's draft is kept on the phone (localStorage). */
export function draftStorageKey(userKey: string): string {
  return PREFIX + userKey;
}

/** A fresh Idempotency-Key (a UUID; on phones without randomUUID, 16 random bytes in hex). */
export function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function newDraft(): Draft {
  return {
    step: 0,
    contractNo: '',
    measureCode: '',
    reasonCode: '',
    reason: '',
    monthlyIncome: '',
    monthlyExpenses: '',
    affordableMonthlyPayment: '',
    phone: '',
    documents: [],
    consent: false,
    idempotencyKey: randomKey(),
    sentAt: null,
    savedAt: new Date().toISOString(),
  };
}

export function loadDraft(userKey: string): Draft | undefined {
  try {
    const text = localStorage.getItem(draftStorageKey(userKey));
    if (!text) return undefined;
    return { ...newDraft(), ...(JSON.parse(text) as Partial<Draft>) };
  } catch {
    return undefined;
  }
}

export function saveDraft(userKey: string, draft: Draft): void {
  try {
    draft.savedAt = new Date().toISOString();
    localStorage.setItem(draftStorageKey(userKey), JSON.stringify(draft));
  } catch {
    // Storage full or disabled (private mode): the form still works, it just will not survive a reload.
  }
}

/**
 * Takes out of the draft the files the server has most likely deleted by now (uploaded more than 23 hours ago, or,
 * for drafts from before upload times were kept, a draft last saved that long ago). Returns their names.
 */
export function dropExpiredDocuments(draft: Draft, now = Date.now()): string[] {
  const uploadedAt = (doc: DraftDocument) => Date.parse(doc.uploadedAt ?? draft.savedAt);
  const expired = draft.documents.filter((doc) => !(now - uploadedAt(doc) < DOCUMENT_KEPT_MS));
  draft.documents = draft.documents.filter((doc) => !expired.includes(doc));
  return expired.map((doc) => doc.name);
}

export function clearDraft(userKey: string): void {
  try {
    localStorage.removeItem(draftStorageKey(userKey));
  } catch {
    // nothing kept, nothing to clear
  }
}
