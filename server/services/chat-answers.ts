// What the bot answers, as data: services decide the answer, line/chat-renderer.ts turns it into LINE messages.
import type { PortfolioSummary } from '../domain/debtor-status.ts';
import type { LocalDate } from '../domain/local-date.ts';
import type { ReliefMeasure } from '../db/repos/measures.repo.ts';
import type { OfficerProfile } from '../db/repos/officers.repo.ts';
import type { DebtOverview } from './debt-overview.service.ts';
import type { LookupResult } from './portfolio.service.ts';
import type { DeliveryHistoryRow } from '../db/repos/outbox.repo.ts';

/** Which quick-reply menu goes under the answer. */
export type ChatAudience = 'guest' | 'borrower' | 'officer';

export type ChatAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'debt'; overview: DebtOverview }
  | { kind: 'measures'; measures: ReliefMeasure[] }
  | { kind: 'how_to_pay'; contractNos: string[] }
  | { kind: 'officer_contact'; officers: OfficerProfile[]; areaPath: string }
  | { kind: 'area_summary'; officer: OfficerProfile; summary: PortfolioSummary; today: LocalDate }
  | { kind: 'lookup'; query: string; result: LookupResult }
  | { kind: 'delivery_history'; borrowerName: string; rows: DeliveryHistoryRow[] };

export interface ChatReply {
  answers: ChatAnswer[];
  audience: ChatAudience;
}

/** Postback actions the bot's buttons and menus carry. */
export type ChatAction =
  | { action: 'debt' }
  | { action: 'measures' }
  | { action: 'pay' }
  | { action: 'contact' }
  | { action: 'menu' }
  | { action: 'summary' }
  | { action: 'lookup_help' }
  | { action: 'link_help' }
  | { action: 'history'; borrower: number };
