// What every page gets: where to draw, how to move, the session, and the borrower's data (loaded once, reloadable).
import type { MeResponse, MeasureInfo } from '../../server/contracts/liff.ts';
import type { OfficerMe } from '../../server/contracts/officer.ts';
import type { LiffSession } from './liff-client.ts';

export interface PageContext {
  root: HTMLElement;
  session: LiffSession;
  params: Record<string, string>;
  query: URLSearchParams;
  /** `returnTo`: the page it was opened from is the target, so go back to it (else as `replace`). */
  navigate(path: string, options?: { replace?: boolean; returnTo?: boolean; flash?: string }): void;
  setTitle(title: string): void;
  /** A one-time message carried over from the previous page (e.g. "sent"). */
  flash: string | undefined;
  /** Reached by back, forward or a reload, not by a link or a tab: a list may put her back where she was. */
  returning: boolean;
  me(reload?: boolean): Promise<MeResponse>;
  measures(): Promise<MeasureInfo[]>;
  /** The officer or mentor using the officers' pages (loaded once, reloadable). */
  officer(reload?: boolean): Promise<OfficerMe>;
}

export type Page = (context: PageContext) => Promise<void>;
