// Row types of the database as Kysely sees them (after the type parsers in connection.ts).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns stay 'YYYY-MM-DD' strings: a calendar day is not an instant. */
type DateColumn = string;
type Json<T> = ColumnType<T, string, string>;

export interface AreasTable {
  id: Generated<number>;
  level: 'province' | 'district' | 'subdistrict';
  name: string;
  parent_id: number | null;
  path: string;
}

/** `mentor` (ทีมพี่เลี้ยง): tambon-scoped, sees only the debtors assigned to them. */
export type OfficerRole = 'tambon' | 'district' | 'province' | 'department' | 'admin' | 'mentor';

export interface OfficersTable {
  id: Generated<number>;
  full_name: string;
  phone: string | null;
  role: OfficerRole;
  area_id: number | null;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface BorrowersTable {
  id: Generated<number>;
  national_id_hash: string;
  national_id_cipher: string;
  national_id_masked: string;
  full_name: string;
  phone: string | null;
  area_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Set when retention anonymised this person's data (their loans closed long ago). */
  anonymised_at: Generated<Date | null>;
}

export interface LoansTable {
  id: Generated<number>;
  contract_no: string;
  borrower_id: number;
  principal_satang: number;
  annual_interest_bp: number;
  installment_count: number;
  frequency: 'monthly' | 'quarterly' | 'yearly';
  first_due_on: DateColumn;
  paid_total_satang: number;
  litigation: boolean;
  schedule_source: Generated<'registry' | 'restructured'>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The loan's PromptPay Ref1 (domain/promptpay.ts paymentRef1), unique; filled by the application. */
  payment_ref1: Generated<string | null>;
}

export interface InstallmentsTable {
  loan_id: number;
  seq: number;
  due_on: DateColumn;
  principal_satang: number;
  interest_satang: number;
  paid_satang: number;
}

export interface PaymentsTable {
  id: Generated<number>;
  loan_id: number;
  amount_satang: number;
  /** 'registry_import' (a change of the registry's paid total), 'officer', 'officer_reversal'. */
  source: string;
  recorded_at: Timestamp;
  note: string | null;
  paid_on: Generated<DateColumn | null>;
  channel: Generated<'counter' | 'transfer' | 'mentor' | 'field' | null>;
  receipt_no: Generated<string | null>;
  recorded_by: Generated<number | null>;
  idempotency_key: Generated<string | null>;
  reverses_payment_id: Generated<number | null>;
  /** A payment a statement import recorded (migration 0011). */
  statement_import_id: Generated<number | null>;
}

export interface ReliefMeasuresTable {
  code: string;
  kind: 'campaign' | 'restructuring_form';
  title: string;
  summary: string;
  details: string;
  effect: Json<Record<string, unknown>>;
  eligibility: Json<Record<string, unknown>>;
  sort_order: number;
  active: Generated<boolean>;
}

export interface LoanMeasuresTable {
  id: Generated<number>;
  loan_id: number;
  measure_code: string;
  starts_on: DateColumn;
  ends_on: DateColumn | null;
  enrollment_id: number | null;
  created_at: Timestamp;
  paid_total_at_start_satang: number | null;
  principal_outstanding_at_start_satang: number | null;
}

export interface LineUsersTable {
  line_user_id: string;
  following: boolean;
  follow_changed_at: Timestamp;
  created_at: Timestamp;
  /** The rich menu last linked to this user (null: the default menu). */
  rich_menu_id: Generated<string | null>;
}

export interface LineRichMenusTable {
  role: 'unlinked' | 'borrower' | 'officer';
  content_hash: string;
  rich_menu_id: string;
  created_at: Timestamp;
}

export interface LineLinksTable {
  line_user_id: string;
  borrower_id: number | null;
  officer_id: number | null;
  linked_at: RequiredTimestamp;
}

export interface LinkCodesTable {
  id: Generated<number>;
  code_hash: string;
  borrower_id: number | null;
  officer_id: number | null;
  expires_at: RequiredTimestamp;
  used_at: Date | null;
  used_by_line_user_id: string | null;
  created_at: Timestamp;
}

export interface LinkAttemptsTable {
  id: Generated<number>;
  line_user_id: string;
  attempted_at: RequiredTimestamp;
  succeeded: boolean;
}

/** The last button a LINE user tapped: a repeat of it within seconds is a double tap, answered once. */
export interface ChatTapsTable {
  line_user_id: string;
  tap_key: string;
  event_id: string;
  tapped_at: RequiredTimestamp;
}

export interface WebhookEventsTable {
  event_id: string;
  event_type: string;
  source_user_id: string | null;
  payload: Json<unknown>;
  received_at: Timestamp;
  status: Generated<'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  locked_until: Date | null;
  processed_at: Date | null;
  last_error: string | null;
  /** The rendered answer as recorded before 0020 (answer_json since); read by retries of those events only. */
  answer: Generated<Json<unknown> | null>;
  /** The rendered answer as JSON text, recorded before the first call to LINE (0008, 0020); a retry sends it again, the same way. */
  answer_json: Generated<string | null>;
  answer_via: Generated<'reply' | 'push' | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  subject: string | null;
  details: Json<Record<string, unknown>>;
}

export interface EncryptionKeyHoldersTable {
  process_id: string;
  key_id: string;
  host: string;
  pid: number;
  started_at: Generated<Date>;
  seen_at: Generated<Date>;
}

export interface PublicHolidaysTable {
  day: DateColumn;
  name: string;
  /** A lunar holiday whose date is an estimate until an administrator confirms it. */
  estimated: Generated<boolean>;
  confirmed_at: Date | null;
  confirmed_by: string | null;
}

export type OutboundStatus = 'pending' | 'sent' | 'dead' | 'cancelled';

export interface OutboundMessagesTable {
  id: Generated<number>;
  dedupe_key: string;
  kind: string;
  recipient_type: 'borrower' | 'officer';
  borrower_id: number | null;
  officer_id: number | null;
  /** Rows queued before notifications were stored as data; new rows leave it null. */
  messages: Json<unknown[]> | null;
  notification: Json<unknown> | null;
  urgency: number;
  contact_window: 'borrower' | 'anytime';
  once_per_day: Generated<boolean>;
  batch_key: string | null;
  loan_id: number | null;
  installment_seq: number | null;
  installment_due_on: DateColumn | null;
  not_before: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  next_attempt_at: RequiredTimestamp;
  status: Generated<OutboundStatus>;
  attempts: Generated<number>;
  claimed_until: Date | null;
  retry_key: string;
  /** The LINE account it went to; set while pending only for a message queued for one account (a notice to an account just unlinked). */
  line_user_id: string | null;
  outcome: string | null;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Timestamp;
  /** The retry key of the multicast this row went out in, stored before the request (0008). */
  multicast_retry_key: Generated<string | null>;
}

export interface OutboundAttemptsTable {
  id: Generated<number>;
  message_id: number;
  attempted_at: RequiredTimestamp;
  outcome: string;
  http_status: number | null;
  detail: string | null;
}

export interface BorrowerDailyContactsTable {
  borrower_id: number;
  day: DateColumn;
  message_id: number;
}

export interface JobRunsTable {
  job_name: string;
  run_key: string;
  started_at: Timestamp;
  finished_at: Date | null;
  summary: Json<Record<string, unknown>> | null;
}

export interface AppSettingsTable {
  key: string;
  value: string;
  updated_at: Timestamp;
}

export type EnrollmentStatusColumn =
  | 'district_review'
  | 'province_review'
  | 'department_review'
  | 'needs_documents'
  | 'approved'
  | 'rejected'
  | 'withdrawn';
export type ReviewLevelColumn = 'district' | 'province' | 'department';

export interface EnrollmentsTable {
  id: Generated<number>;
  borrower_id: number;
  loan_id: number;
  measure_code: string;
  submitted_by_line_user_id: string;
  idempotency_key: string;
  status: EnrollmentStatusColumn;
  awaiting_level: ReviewLevelColumn | null;
  deadline_at: Date | null;
  level_entered_at: Date | null;
  return_level: ReviewLevelColumn | null;
  version: Generated<number>;
  reason_code: string | null;
  reason: string;
  phone: string;
  monthly_income_satang: number | null;
  monthly_expenses_satang: number | null;
  affordable_payment_satang: number | null;
  consent_version: string;
  consented_at: RequiredTimestamp;
  decision_note: string | null;
  submitted_at: RequiredTimestamp;
  updated_at: RequiredTimestamp;
  decided_at: Date | null;
  /** Officer-requested documents: [{ code, label }] (see content/enrollment-decisions.th.json). */
  requested_documents: Json<Array<{ code: string; label: string }>> | null;
  /** A rejection can be undone until then, back to undo_status with its old deadline. */
  undo_until: Date | null;
  undo_status: EnrollmentStatusColumn | null;
  undo_deadline_at: Date | null;
}

export interface EnrollmentTransitionsTable {
  id: Generated<number>;
  enrollment_id: number;
  occurred_at: RequiredTimestamp;
  actor: string;
  from_status: EnrollmentStatusColumn | null;
  to_status: EnrollmentStatusColumn;
  note: string | null;
}

export interface EnrollmentDocumentsTable {
  id: Generated<string>;
  owner_line_user_id: string;
  enrollment_id: number | null;
  content_type: 'image/jpeg' | 'image/png' | 'application/pdf';
  byte_size: number;
  sha256: string;
  content: Buffer;
  uploaded_at: RequiredTimestamp;
  attached_at: Date | null;
}

export interface EnrollmentReasonRequestsTable {
  line_user_id: string;
  officer_id: number;
  enrollment_id: number;
  version: number;
  requested_at: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  decision: Generated<'reject' | 'request_documents'>;
  stage: Generated<'choose' | 'free_text' | 'confirm'>;
  draft_note: string | null;
  draft_documents: ColumnType<Array<{ code: string; label: string }>, string | undefined, string>;
}

export interface DebtorMentorsTable {
  borrower_id: number;
  mentor_id: number;
  assigned_by: number | null;
  assigned_at: RequiredTimestamp;
}

export type FollowUpKindColumn = 'visit' | 'phone' | 'line' | 'letter' | 'forum' | 'warning_letter';
export type FollowUpStageColumn = 'check' | 'follow' | 'warn' | 'persist' | 'contact';
export type FollowUpOutcomeColumn = 'met' | 'not_home' | 'refused' | 'promised' | 'paid' | 'moved' | 'deceased' | 'other';

export interface FollowUpsTable {
  id: Generated<number>;
  borrower_id: number;
  loan_id: number | null;
  officer_id: number;
  idempotency_key: string;
  kind: FollowUpKindColumn;
  stage: FollowUpStageColumn;
  contacted_on: DateColumn;
  outcome: FollowUpOutcomeColumn;
  note: string | null;
  next_action_on: DateColumn | null;
  created_at: RequiredTimestamp;
  updated_at: RequiredTimestamp;
}

export interface FollowUpPhotosTable {
  id: Generated<string>;
  officer_id: number;
  follow_up_id: number | null;
  content_type: 'image/jpeg' | 'image/png';
  byte_size: number;
  sha256: string;
  content: Buffer;
  uploaded_at: RequiredTimestamp;
  attached_at: Date | null;
}

export type PromiseStatusColumn = 'open' | 'kept' | 'partly_kept' | 'broken';

export interface PaymentPromisesTable {
  id: Generated<number>;
  follow_up_id: number;
  borrower_id: number;
  loan_id: number | null;
  amount_satang: number;
  made_on: DateColumn;
  promised_on: DateColumn;
  status: Generated<PromiseStatusColumn>;
  paid_satang: Generated<number>;
  judged_at: Date | null;
  created_at: RequiredTimestamp;
}

export interface PaymentRegistryConfirmationsTable {
  id: Generated<number>;
  payment_id: number;
  amount_satang: number;
  confirmed_at: RequiredTimestamp;
  file_name: string | null;
}

export interface LinkCodeBatchesTable {
  id: Generated<number>;
  officer_id: number;
  area_id: number;
  token_hash: string;
  created_at: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  downloaded_at: Date | null;
  slip_count: number | null;
}

/** Kept by triggers (migration 0010); read by the debtor list. */
export interface DebtorPositionsTable {
  borrower_id: number;
  area_id: number;
  oldest_unpaid_due_on: DateColumn | null;
  unpaid_total_satang: number;
  litigation: boolean;
  measure_from: DateColumn | null;
  measure_until: DateColumn | null;
  loan_count: number;
  last_contact_on: DateColumn | null;
  last_contact_kind: FollowUpKindColumn | null;
  next_action_on: DateColumn | null;
  next_action_by: number | null;
  next_promise_on: DateColumn | null;
}

/** Migration 0013: the model-centre selection (seed 003). */
export interface CentreRubricVersionsTable {
  id: string;
  based_on: string | null;
  body: Json<unknown>;
  complete: boolean;
  created_by: number | null;
  created_at: RequiredTimestamp;
}

export interface CentresTable {
  id: Generated<number>;
  subdistrict_id: number;
  name: string;
  village: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  member_groups: Json<string[]>;
  registered_by: number;
  registered_at: RequiredTimestamp;
}

export interface CentreRoundsTable {
  id: Generated<number>;
  province_id: number;
  fiscal_year_be: number;
  rubric_id: string;
  deadline_on: DateColumn;
  closes_at: RequiredTimestamp;
  opened_by: number;
  opened_at: RequiredTimestamp;
  closed_at: Date | null;
}

export interface CentreAssessmentsTable {
  id: Generated<number>;
  round_id: number;
  centre_id: number;
  version: number;
  status: 'draft' | 'submitted';
  scores: Json<Record<string, { level: number; evidence?: number[]; note?: string | null }>>;
  video_url: string | null;
  reason: string | null;
  total: number | null;
  created_by: number;
  created_at: RequiredTimestamp;
  updated_by: number;
  updated_at: RequiredTimestamp;
  submitted_by: number | null;
  submitted_at: Date | null;
}

export interface CentreEvidenceFilesTable {
  id: Generated<string>;
  assessment_id: number;
  indicator_code: string;
  officer_id: number;
  content_type: 'image/jpeg' | 'image/png' | 'application/pdf';
  byte_size: number;
  sha256: string;
  content: Buffer;
  uploaded_at: RequiredTimestamp;
}

export interface CentreVerificationsTable {
  round_id: number;
  centre_id: number;
  points: number;
  note: string | null;
  officer_id: number;
  recorded_at: RequiredTimestamp;
}

export interface StatementImportsTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  imported_by: number | null;
  imported_at: RequiredTimestamp;
  line_count: number;
  recorded_count: number;
  known_count: number;
  exception_count: number;
}

export type StatementLineStatus = 'recorded' | 'unmatched' | 'ambiguous' | 'refused';

export interface StatementLinesTable {
  id: Generated<number>;
  import_id: number;
  line: number;
  reference: string;
  paid_on: DateColumn;
  amount_satang: number;
  ref1: string;
  ref2: string | null;
  status: StatementLineStatus;
  loan_id: number | null;
  payment_id: number | null;
  reason: string | null;
  candidate_loan_ids: number[] | null;
  resolved_payment_id: Generated<number | null>;
  resolved_by: Generated<number | null>;
  resolved_at: Generated<Date | null>;
  /** Closed by an officer as not the fund's money (migration 0017); no payment. */
  dismissal_reason: Generated<string | null>;
}

export type SlipStatus = 'pending' | 'confirmed' | 'rejected' | 'duplicate';

export interface PaymentSlipsTable {
  id: Generated<number>;
  borrower_id: number;
  line_message_id: string;
  content_type: 'image/jpeg' | 'image/png';
  byte_size: number;
  sha256: string;
  content: Buffer;
  bank_code: string | null;
  trans_ref: string | null;
  status: SlipStatus;
  duplicate_of: number | null;
  suggested_loan_id: number | null;
  suggested_amount_satang: number | null;
  payment_id: Generated<number | null>;
  decided_by: Generated<number | null>;
  decided_at: Generated<Date | null>;
  reject_reason: Generated<string | null>;
  received_at: RequiredTimestamp;
  /** LINE's quote token of the photo (migration 0023): a rejection quotes it. */
  quote_token: string | null;
  /** How many times a payment recorded from it was reversed (migration 0023). */
  reopened: Generated<number>;
}

/** Seed 004 §4.1: a province's subsidy budget split across its districts (migration 0012). */
export interface BudgetAllocationsTable {
  id: Generated<number>;
  province_path: string;
  budget_baht: number;
  weights: Json<Record<string, number>>;
  rows: Json<unknown[]>;
  title: string;
  as_of: DateColumn;
  created_by: number;
  created_at: RequiredTimestamp;
}

/** One-time links to an officer's file (migration 0014); only the token's hash is kept. */
export interface DownloadTicketsTable {
  token_hash: string;
  line_user_id: string;
  path: string;
  created_at: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  used_at: Date | null;
}

export interface Database {
  download_tickets: DownloadTicketsTable;
  app_settings: AppSettingsTable;
  public_holidays: PublicHolidaysTable;
  outbound_messages: OutboundMessagesTable;
  outbound_attempts: OutboundAttemptsTable;
  borrower_daily_contacts: BorrowerDailyContactsTable;
  job_runs: JobRunsTable;
  areas: AreasTable;
  officers: OfficersTable;
  borrowers: BorrowersTable;
  loans: LoansTable;
  installments: InstallmentsTable;
  payments: PaymentsTable;
  relief_measures: ReliefMeasuresTable;
  loan_measures: LoanMeasuresTable;
  line_users: LineUsersTable;
  line_rich_menus: LineRichMenusTable;
  line_links: LineLinksTable;
  link_codes: LinkCodesTable;
  link_attempts: LinkAttemptsTable;
  encryption_key_holders: EncryptionKeyHoldersTable;
  webhook_events: WebhookEventsTable;
  chat_taps: ChatTapsTable;
  audit_log: AuditLogTable;
  enrollments: EnrollmentsTable;
  enrollment_transitions: EnrollmentTransitionsTable;
  enrollment_documents: EnrollmentDocumentsTable;
  enrollment_reason_requests: EnrollmentReasonRequestsTable;
  debtor_mentors: DebtorMentorsTable;
  follow_ups: FollowUpsTable;
  follow_up_photos: FollowUpPhotosTable;
  payment_promises: PaymentPromisesTable;
  payment_registry_confirmations: PaymentRegistryConfirmationsTable;
  link_code_batches: LinkCodeBatchesTable;
  debtor_positions: DebtorPositionsTable;
  centre_rubric_versions: CentreRubricVersionsTable;
  centres: CentresTable;
  centre_rounds: CentreRoundsTable;
  centre_assessments: CentreAssessmentsTable;
  centre_evidence_files: CentreEvidenceFilesTable;
  centre_verifications: CentreVerificationsTable;
  statement_imports: StatementImportsTable;
  statement_lines: StatementLinesTable;
  payment_slips: PaymentSlipsTable;
  budget_allocations: BudgetAllocationsTable;
}
