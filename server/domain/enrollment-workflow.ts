// The journey of an application to join a relief measure (seed 004): district office → province → department,
// each level within 15 days; the department decides; "more documents" hands it back to the borrower.
// Pure: "now" is always a parameter.

export const ENROLLMENT_STATUSES = [
  'district_review',
  'province_review',
  'department_review',
  'needs_documents',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export const OPEN_ENROLLMENT_STATUSES: readonly EnrollmentStatus[] = ['district_review', 'province_review', 'department_review', 'needs_documents'];

export type ReviewLevel = 'district' | 'province' | 'department';
export const REVIEW_LEVELS: readonly ReviewLevel[] = ['district', 'province', 'department'];

/** ส่งเอกสารภายใน 15 วัน: each level has 15 days from the day the application reached it. */
export const REVIEW_DEADLINE_DAYS = 15;
/** How long the bot waits for the reason (or the list of documents) after an officer taps ไม่อนุมัติ or ขอเอกสารเพิ่ม. */
export const REJECTION_REASON_MINUTES = 30;
/** After confirming ไม่อนุมัติ the officer can undo it this long; only then is the borrower told. */
export const REJECTION_UNDO_MINUTES = 10;

export type OfficerDecision = 'forward' | 'request_documents' | 'reject' | 'approve';

export const STATUS_OF_LEVEL: Record<ReviewLevel, EnrollmentStatus> = {
  district: 'district_review',
  province: 'province_review',
  department: 'department_review',
};

export function levelOfStatus(status: EnrollmentStatus): ReviewLevel | undefined {
  switch (status) {
    case 'district_review':
      return 'district';
    case 'province_review':
      return 'province';
    case 'department_review':
      return 'department';
    default:
      return undefined;
  }
}

export function isOpenStatus(status: EnrollmentStatus): boolean {
  return OPEN_ENROLLMENT_STATUSES.includes(status);
}

/** Each status in words (officers' pages and cards). */
export const ENROLLMENT_STATUS_THAI: Record<EnrollmentStatus, string> = {
  district_review: 'รอสำนักงานพัฒนาชุมชนอำเภอตรวจสอบ',
  province_review: 'รอสำนักงานพัฒนาชุมชนจังหวัดพิจารณา',
  department_review: 'รอกรมการพัฒนาชุมชนพิจารณา',
  needs_documents: 'รอผู้กู้ส่งเอกสารเพิ่มเติม',
  approved: 'อนุมัติแล้ว',
  rejected: 'ไม่อนุมัติ',
  withdrawn: 'ยกเลิกคำขอแล้ว',
};

/** What the borrower reads about her own application: spoken to her, not about her. */
export const BORROWER_ENROLLMENT_STATUS_THAI: Record<EnrollmentStatus, string> = {
  ...ENROLLMENT_STATUS_THAI,
  needs_documents: 'รอท่านส่งเอกสารเพิ่มเติม',
};

export const REVIEW_LEVEL_THAI: Record<ReviewLevel, string> = {
  district: 'สำนักงานพัฒนาชุมชนอำเภอ',
  province: 'สำนักงานพัฒนาชุมชนจังหวัด',
  department: 'กรมการพัฒนาชุมชน',
};

/** The three buttons each level's officer gets, in order; the labels are a contract other tools rely on. */
export const DECISIONS_AT_LEVEL: Record<ReviewLevel, ReadonlyArray<{ decision: OfficerDecision; label: string }>> = {
  district: [
    { decision: 'forward', label: 'ส่งต่อจังหวัด' },
    { decision: 'request_documents', label: 'ขอเอกสารเพิ่ม' },
    { decision: 'reject', label: 'ไม่อนุมัติ' },
  ],
  province: [
    { decision: 'forward', label: 'ส่งต่อกรม' },
    { decision: 'request_documents', label: 'ขอเอกสารเพิ่ม' },
    { decision: 'reject', label: 'ไม่อนุมัติ' },
  ],
  department: [
    { decision: 'approve', label: 'อนุมัติ' },
    { decision: 'request_documents', label: 'ขอเอกสารเพิ่ม' },
    { decision: 'reject', label: 'ไม่อนุมัติ' },
  ],
};

/** Where an application stands: its status, the level it waits at and the level that asked for documents. */
export interface EnrollmentState {
  status: EnrollmentStatus;
  /** The officer level it waits at; null while with the borrower or closed. */
  awaitingLevel: ReviewLevel | null;
  /** While needs_documents: the level it goes back to when the borrower sends them. */
  returnLevel: ReviewLevel | null;
  /** Counts transitions; a button carries the version it was made for, so an old button is recognised. */
  version: number;
}

export interface EnrollmentStep {
  from: EnrollmentStatus;
  to: EnrollmentStatus;
  state: EnrollmentState;
  /** The moment the application reached its new level; null when it waits at none. */
  deadlineAt: Date | null;
  decided: boolean;
}

export type StepRefusal =
  /** The application moved on since the button or page was made: nothing changes. */
  | 'stale'
  /** This person may not take this step at this level. */
  | 'not_allowed';

export function deadlineFrom(enteredAt: Date): Date {
  return new Date(enteredAt.getTime() + REVIEW_DEADLINE_DAYS * 24 * 60 * 60 * 1000);
}

/** A new application starts at the district office. */
export function initialEnrollmentState(now: Date): { state: EnrollmentState; deadlineAt: Date } {
  return { state: { status: 'district_review', awaitingLevel: 'district', returnLevel: null, version: 1 }, deadlineAt: deadlineFrom(now) };
}

function moveTo(state: EnrollmentState, to: EnrollmentStatus, now: Date, returnLevel: ReviewLevel | null = null): EnrollmentStep {
  const awaitingLevel = levelOfStatus(to) ?? null;
  return {
    from: state.status,
    to,
    state: { status: to, awaitingLevel, returnLevel, version: state.version + 1 },
    deadlineAt: awaitingLevel ? deadlineFrom(now) : null,
    decided: to === 'approved' || to === 'rejected',
  };
}

const NEXT_LEVEL: Record<ReviewLevel, ReviewLevel | undefined> = { district: 'province', province: 'department', department: undefined };

/** Which level an officer's role acts at; tambon officers follow up but do not decide. */
export function reviewLevelOfRole(role: string): ReviewLevel | undefined {
  return role === 'district' || role === 'province' || role === 'department' ? role : undefined;
}

/**
 * True when an officer answers for the borrower's area at that level: the district office of the borrower's
 * district, the province office of the province, the department nationally.
 */
export function officerCoversArea(officer: { role: string; scopePath: string | null }, level: ReviewLevel, borrowerAreaPath: string): boolean {
  if (reviewLevelOfRole(officer.role) !== level) return false;
  if (level === 'department') return true;
  if (officer.scopePath === null) return false;
  const depth = level === 'district' ? 2 : 1;
  return borrowerAreaPath.split('/').slice(0, depth).join('/') === officer.scopePath;
}

/** An officer's decision on an application waiting at their level. */
export function decideAsOfficer(
  state: EnrollmentState,
  officerLevel: ReviewLevel | undefined,
  decision: OfficerDecision,
  now: Date,
  expectedVersion?: number,
): EnrollmentStep | StepRefusal {
  if (expectedVersion !== undefined && expectedVersion !== state.version) return 'stale';
  const level = levelOfStatus(state.status);
  if (!level) return 'stale';
  if (officerLevel !== level) return 'not_allowed';
  if (!DECISIONS_AT_LEVEL[level].some((d) => d.decision === decision)) return 'not_allowed';
  switch (decision) {
    case 'forward':
      return moveTo(state, STATUS_OF_LEVEL[NEXT_LEVEL[level]!], now);
    case 'approve':
      return moveTo(state, 'approved', now);
    case 'reject':
      return moveTo(state, 'rejected', now);
    case 'request_documents':
      return moveTo(state, 'needs_documents', now, level);
  }
}

/**
 * The officer takes back a rejection within the undo window: the application returns to the level that rejected
 * it (the caller restores that level's deadline). Nothing else may undo a decision.
 */
export function undoRejection(
  state: EnrollmentState,
  undo: { status: EnrollmentStatus; until: Date } | null,
  now: Date,
  expectedVersion: number,
): EnrollmentStep | StepRefusal {
  if (state.status !== 'rejected' || state.version !== expectedVersion || !undo || undo.until <= now || !levelOfStatus(undo.status)) return 'stale';
  return { ...moveTo(state, undo.status, now), decided: false };
}

/** The borrower sends the documents asked for: back to the level that asked, with a fresh 15 days. */
export function resubmitAsBorrower(state: EnrollmentState, now: Date): EnrollmentStep | StepRefusal {
  if (state.status !== 'needs_documents') return 'stale';
  return moveTo(state, STATUS_OF_LEVEL[state.returnLevel ?? 'district'], now);
}

/** The borrower withdraws an application that is still open. */
export function withdrawAsBorrower(state: EnrollmentState, now: Date): EnrollmentStep | StepRefusal {
  if (!isOpenStatus(state.status)) return 'stale';
  return moveTo(state, 'withdrawn', now);
}

export function isStepRefusal(value: EnrollmentStep | StepRefusal): value is StepRefusal {
  return typeof value === 'string';
}
