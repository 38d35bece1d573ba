// An officer's rejection or request for documents, drafted in chat before anything changes: the officer picks a
// reason (or types one after asking to) or ticks documents, sees the result back, and confirms. Pure: the state in,
// the next state out; the service keeps it in PostgreSQL between messages.

export type DraftDecision = 'reject' | 'request_documents';
/** choose: waiting for a pick; free_text: the officer asked to type (the reason, or the "other" document); confirm: shown back, waiting for yes. */
export type DraftStage = 'choose' | 'free_text' | 'confirm';

export interface RequestedDocument {
  code: string;
  /** What the borrower reads. */
  label: string;
}

export interface DecisionDraft {
  enrollmentId: number;
  /** The application's version the draft was started on: a draft for an older state changes nothing. */
  version: number;
  decision: DraftDecision;
  stage: DraftStage;
  note: string | null;
  documents: RequestedDocument[];
}

export const DRAFT_NOTE_MAX = 500;
export const OTHER_DOCUMENT = 'other';

export function startDraft(enrollmentId: number, version: number, decision: DraftDecision): DecisionDraft {
  return { enrollmentId, version, decision, stage: 'choose', note: null, documents: [] };
}

/** Collapses spaces; undefined when the text is too short to be a reason anyone could act on. */
export function cleanReason(text: string): string | undefined {
  const reason = text.trim().replace(/\s+/g, ' ').slice(0, DRAFT_NOTE_MAX);
  return [...reason].length >= 4 ? reason : undefined;
}

/** A reason picked from the list: straight to the confirmation. */
export function pickReason(draft: DecisionDraft, reason: string): DecisionDraft {
  return { ...draft, stage: 'confirm', note: reason };
}

export function askToType(draft: DecisionDraft): DecisionDraft {
  return { ...draft, stage: 'free_text' };
}

/**
 * Text the officer typed while a draft waits. A rejection takes it as the reason (then asks to confirm); a request
 * for documents takes it as what "เอกสารอื่น" means. Undefined when the text is too short to be either.
 */
export function acceptTypedText(draft: DecisionDraft, text: string, otherLabel: string): DecisionDraft | undefined {
  const cleaned = cleanReason(text);
  if (!cleaned) return undefined;
  if (draft.decision === 'reject') return { ...draft, stage: 'confirm', note: cleaned };
  const documents = draft.documents.filter((d) => d.code !== OTHER_DOCUMENT);
  return { ...draft, stage: 'choose', documents: [...documents, { code: OTHER_DOCUMENT, label: `${otherLabel}: ${cleaned}` }] };
}

/** Ticks a document on or off (asking for the text of "other" first). */
export function toggleDocument(draft: DecisionDraft, document: RequestedDocument): DecisionDraft {
  if (draft.documents.some((d) => d.code === document.code)) {
    return { ...draft, stage: 'choose', documents: draft.documents.filter((d) => d.code !== document.code) };
  }
  if (document.code === OTHER_DOCUMENT) return { ...draft, stage: 'free_text' };
  return { ...draft, stage: 'choose', documents: [...draft.documents, document] };
}

/** True when confirming would say something: a reason, or at least one document. */
export function isComplete(draft: DecisionDraft): boolean {
  return draft.decision === 'reject' ? draft.note !== null : draft.documents.length > 0;
}

/** What the borrower is told the officer needs, one line per document. */
export function documentsNote(documents: readonly RequestedDocument[]): string {
  return documents.map((d) => `• ${d.label}`).join('\n');
}
