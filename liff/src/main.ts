// The mini-app's entry: who is using it (LINE, or the simulator's mock), then one page per path under /liff/.
import './styles.css';
import type { MeResponse, MeasureInfo } from '../../server/contracts/liff.ts';
import type { OfficerMe } from '../../server/contracts/officer.ts';
import { api, ApiError, apiErrorText, useTokens } from './api.ts';
import type { Page, PageContext } from './app-context.ts';
import { $, h } from './dom.ts';
import { startLineSession, startMockSession, type LiffSession } from './liff-client.ts';
import { applicationsPage } from './pages/applications.ts';
import { applyPage } from './pages/apply.ts';
import { linkPage } from './pages/link.ts';
import { loansPage } from './pages/loans.ts';
import { measuresPage } from './pages/measures.ts';
import { renderPickUser } from './pages/pick-user.ts';
import { privacyPage } from './pages/privacy.ts';
import { button, card, notice } from './ui.ts';

const BASE = '/liff/';
const root = $('#app')!;
const tabs = $('#tabs')!;

// The officers' pages load on demand: a borrower's phone never downloads them.
type OfficerPages = typeof import('./pages/officer/pages.ts');
const officerPage = (name: keyof OfficerPages): Page => async (context) => (await import('./pages/officer/pages.ts'))[name](context);

const ROUTES: Array<{ pattern: RegExp; page: Page; keys: string[]; borrower: boolean; officer?: boolean }> = [
  { pattern: /^officer(?:\/work)?$/, page: officerPage('workPage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/debtors$/, page: officerPage('debtorListPage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/debtors\/(\d+)$/, page: officerPage('debtorPage'), keys: ['id'], borrower: false, officer: true },
  { pattern: /^officer\/debtors\/(\d+)\/follow-up$/, page: officerPage('followUpPage'), keys: ['id'], borrower: false, officer: true },
  { pattern: /^officer\/debtors\/(\d+)\/payment$/, page: officerPage('paymentPage'), keys: ['id'], borrower: false, officer: true },
  { pattern: /^officer\/area$/, page: officerPage('areaPage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/applications$/, page: officerPage('applicationsPage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/centres$/, page: officerPage('centresHomePage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/centres\/rounds\/(\d+)$/, page: officerPage('centreRoundPage'), keys: ['id'], borrower: false, officer: true },
  { pattern: /^officer\/centres\/rounds\/(\d+)\/centres\/(\d+)$/, page: officerPage('centreScorePage'), keys: ['id', 'centreId'], borrower: false, officer: true },
  { pattern: /^officer\/centres\/rubrics\/([^/]+)$/, page: officerPage('centreRubricPage'), keys: ['rubricId'], borrower: false, officer: true },
  { pattern: /^officer\/slips$/, page: officerPage('slipsPage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/statements$/, page: officerPage('statementsPage'), keys: [], borrower: false, officer: true },
  { pattern: /^officer\/reports(?:\/([a-z]+))?$/, page: officerPage('reportsPage'), keys: ['kind'], borrower: false, officer: true },
  { pattern: /^officer\/budget$/, page: officerPage('budgetPage'), keys: [], borrower: false, officer: true },
  { pattern: /^link$/, page: linkPage, keys: [], borrower: false },
  { pattern: /^loans$/, page: loansPage, keys: [], borrower: true },
  { pattern: /^measures$/, page: measuresPage, keys: [], borrower: true },
  { pattern: /^apply$/, page: applyPage, keys: [], borrower: true },
  { pattern: /^applications$/, page: applicationsPage, keys: [], borrower: true },
  // Opened from a card in chat, but not a dead end: the officer's own menu is under it.
  { pattern: /^review\/(\d+)$/, page: officerPage('reviewPage'), keys: ['id'], borrower: false, officer: true },
  // Borrowers and officers alike (an officer may unlink too); the page loads its own data.
  { pattern: /^privacy$/, page: privacyPage, keys: [], borrower: false },
];

// Icons as tiny SVG paths (24×24): no icon font to download, and no emoji an old phone might not have.
const ICONS: Record<string, string> = {
  loans: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15v2h-2v-2H8v-2h5a1 1 0 0 0 0-2h-2a3 3 0 0 1 0-6V5h2v2h3v2h-5a1 1 0 0 0 0 2h2a3 3 0 0 1 0 6z',
  measures: 'M12 21s-7.5-4.6-9.6-9.2C.9 8.6 3 5 6.6 5c2 0 3.4 1.1 5.4 3 2-1.9 3.4-3 5.4-3C21 5 23.1 8.6 21.6 11.8 19.5 16.4 12 21 12 21z',
  apply: 'M5 3h10l4 4v14H5V3zm9 1.5V8h3.5M8 12h8v1.6H8zm0 4h8v1.6H8z',
  applications: 'M4 5h3v3H4zm5 .7h11v1.6H9zM4 10.5h3v3H4zm5 .7h11v1.6H9zM4 16h3v3H4zm5 .7h11v1.6H9z',
  'officer/work': 'M9 4h6v2h4v15H5V6h4V4zm1.2 9.6L8.5 12 7.4 13.1l2.8 2.8 6.4-6.4-1.1-1.1-5.3 5.2z',
  'officer/debtors': 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm7 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20c0-3.9 3.1-6 7-6s7 2.1 7 6H2zm15.5 0c0-2.2-.8-4-2.2-5.2 3.2.1 6.7 1.6 6.7 5.2h-4.5z',
  'officer/area': 'M4 20V10h3v10H4zm6 0V4h3v16h-3zm6 0v-7h3v7h-3z',
  'officer/slips': 'M6 2h12v20l-3-2-3 2-3-2-3 2V2zm3 5v1.6h6V7H9zm0 4v1.6h6V11H9zm0 4v1.6h4V15H9z',
  'officer/applications': 'M4 5h3v3H4zm5 .7h11v1.6H9zM4 10.5h3v3H4zm5 .7h11v1.6H9zM4 16h3v3H4zm5 .7h11v1.6H9z',
};

const TABS = [
  { path: 'loans', label: 'เงินกู้ของฉัน' },
  { path: 'measures', label: 'มาตรการ' },
  { path: 'apply', label: 'สมัคร' },
  { path: 'applications', label: 'คำขอของฉัน' },
];

const OFFICER_TABS = [
  { path: 'officer/work', label: 'งานของฉัน' },
  { path: 'officer/debtors', label: 'ลูกหนี้' },
  // Slips are checked by officers who record payments: a mentor has no use for the tab.
  { path: 'officer/slips', label: 'สลิป', paymentsOnly: true },
  { path: 'officer/area', label: 'พื้นที่' },
  { path: 'officer/applications', label: 'คำขอ', reviewersOnly: true },
];

function icon(name: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const shape = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  shape.setAttribute('d', ICONS[name] ?? '');
  svg.append(shape);
  return svg;
}

function setTitle(title: string) {
  $('#page-title')!.textContent = title;
  document.title = `${title} · กองทุนพัฒนาบทบาทสตรี`;
}

async function boot() {
  // Running: the page's own "could not load" fallback (index.html) stands down; from here errors are said below.
  document.getElementById('boot-loading')?.removeAttribute('id');
  const config = await api<{ liffId: string; mock: boolean }>('GET', '/api/liff/config', { auth: false });
  const params = new URLSearchParams(location.search);
  let session: LiffSession | undefined;
  if (config.mock) {
    const simUser = params.get('simUser') ?? sessionStorage.getItem('wdf-liff:simUser');
    if (!simUser) {
      await renderPickUser(root, setTitle);
      return;
    }
    sessionStorage.setItem('wdf-liff:simUser', simUser);
    session = await startMockSession(config.liffId, simUser);
    const banner = $('#banner')!;
    banner.textContent = `โหมดจำลอง (liff-mock) — ${session.displayName}`;
    banner.hidden = false;
  } else {
    session = await startLineSession(config.liffId);
    if (!session) return; // on its way to LINE Login
    sessionStorage.removeItem('wdf-liff:relogin');
  }
  useTokens(session);
  startRouter(session, config.mock);
}

function startRouter(session: LiffSession, mock: boolean) {
  let meCache: Promise<MeResponse> | undefined;
  let measuresCache: Promise<MeasureInfo[]> | undefined;
  let officerCache: Promise<OfficerMe> | undefined;
  let flash: string | undefined;
  // A page reached by a link or a tab opens at its top; going back (popstate) is left to the browser.
  let openAtTop = false;

  const withSimUser = (path: string) => {
    if (!mock) return path;
    const url = new URL(path, location.origin);
    url.searchParams.set('simUser', session.localUserKey);
    return `${url.pathname}${url.search}`;
  };

  const navigate: PageContext['navigate'] = (path, options = {}) => {
    flash = options.flash;
    openAtTop = true;
    const target = withSimUser(path);
    // Back to the page this one was opened from (a saved form): go back in history, so that the phone's back
    // button does not find that page a second time. Each entry remembers the page it was opened from.
    if (options.returnTo && (history.state as { from?: string } | null)?.from === new URL(target, location.origin).pathname) {
      holdTaps();
      history.back();
      return;
    }
    if (options.replace) history.replaceState(history.state, '', target);
    else history.pushState({ from: location.pathname }, '', target);
    holdTaps();
    void route();
  };

  const me = (reload = false) => {
    if (reload || !meCache) {
      meCache = api<MeResponse>('GET', '/api/liff/me');
      meCache.catch(() => (meCache = undefined));
    }
    return meCache;
  };
  const measures = () => {
    measuresCache ??= api<MeasureInfo[]>('GET', '/api/liff/measures', { auth: false });
    measuresCache.catch(() => (measuresCache = undefined));
    return measuresCache;
  };

  const officer = (reload = false) => {
    if (reload || !officerCache) {
      officerCache = api<OfficerMe>('GET', '/api/liff/officer/me');
      officerCache.catch(() => (officerCache = undefined));
    }
    return officerCache;
  };

  function drawTabs(current: string, visible: boolean | 'officer', reviewer = false, recordsPayments = true) {
    tabs.hidden = !visible;
    // The officer's pages below a tab (a debtor, a form) keep that tab lit.
    const shown = visible === 'officer' ? OFFICER_TABS.filter((tab) => (reviewer || !tab.reviewersOnly) && (recordsPayments || !tab.paymentsOnly)) : TABS;
    // Reports, the budget and the model-centre selection belong to "พื้นที่".
    if (visible === 'officer' && /^officer\/(reports|budget|centres)(\/|$)/.test(current)) current = 'officer/area';
    // An application opened from its card belongs with the applications waiting.
    if (current.startsWith('review/')) current = 'officer/applications';
    // The statements page belongs with the slips: money coming in.
    if (current === 'officer/statements') current = 'officer/slips';
    if (visible === 'officer') current = shown.find((tab) => current === tab.path || current.startsWith(`${tab.path}/`))?.path ?? (current === 'officer' ? 'officer/work' : current);
    tabs.replaceChildren(
      ...shown.map((tab) =>
        h('a', { href: withSimUser(BASE + tab.path), 'data-link': true, class: tab.path === current ? 'active' : '', 'aria-current': tab.path === current ? 'page' : false }, icon(tab.path), tab.label),
      ),
    );
  }

  // Each route draws into its own container: a page still loading when the person taps elsewhere (a slow phone,
  // a slow answer) finishes into a detached element, and its title, redirects and errors are dropped, instead of
  // drawing itself over the page that was opened after it.
  let routeGeneration = 0;

  async function route() {
    const generation = ++routeGeneration;
    const isCurrent = () => generation === routeGeneration;
    const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).replace(/\/$/, '') : '';
    const currentFlash = flash;
    flash = undefined;
    const toTop = openAtTop;
    openAtTop = false;
    let target = ROUTES.find((r) => r.pattern.test(path));
    let routedPath = path;
    try {
      if (!target) {
        // The start page: my loans for a linked borrower, linking for everyone else.
        await me();
        if (!isCurrent()) return;
        target = ROUTES.find((r) => r.pattern.test('loans'))!;
        routedPath = 'loans';
        history.replaceState(null, '', withSimUser(BASE + 'loans'));
      }
      // The officers' chunk downloads while she is looked up, not after (a second on a slow line).
      if (target.officer) import('./pages/officer/pages.ts').catch(() => undefined); // offline: the page itself says so
      if (target.borrower) await me();
      if (target.officer) {
        const caller = await officer();
        if (!isCurrent()) return;
        drawTabs(routedPath, 'officer', caller.can.reviewApplications, caller.can.recordPayments);
      } else drawTabs(routedPath, target.borrower);
      if (!isCurrent()) return;
      const match = target.pattern.exec(routedPath)!;
      const params = Object.fromEntries(target.keys.map((key, i) => [key, match[i + 1]!]));
      const pageRoot = h('div', { class: 'page' }, h('p', { class: 'loading' }, 'กำลังโหลด…'));
      root.replaceChildren(pageRoot);
      if (toTop) window.scrollTo(0, 0);
      await target.page({
        root: pageRoot,
        session,
        params,
        query: new URLSearchParams(location.search),
        navigate: (to, options) => (isCurrent() ? navigate(to, options) : undefined),
        setTitle: (title) => (isCurrent() ? setTitle(title) : undefined),
        flash: currentFlash,
        returning: !toTop,
        me,
        measures,
        officer,
      });
    } catch (error) {
      if (!isCurrent()) return;
      if (error instanceof ApiError && error.code === 'NOT_LINKED' && routedPath !== 'link') return navigate(BASE + 'link', { replace: true });
      // An officer's LINE account opened the borrowers' app: their own pages are the start.
      if (error instanceof ApiError && error.code === 'FORBIDDEN' && target?.borrower !== false) return navigate(BASE + 'officer/work', { replace: true });
      drawTabs(routedPath, false);
      setTitle('ขออภัยค่ะ');
      // Not hers to see (a borrower opening an officer's link): trying again cannot help, her own pages can.
      const refused = error instanceof ApiError && (error.code === 'FORBIDDEN' || error.code === 'NOT_OFFICER');
      // A part of the app that could not be fetched (a new version replaced it, or no signal): only a reload helps.
      const partMissing = !(error instanceof ApiError) && error instanceof TypeError && /module|import/i.test(error.message);
      root.replaceChildren(
        card(
          notice(partMissing ? 'โหลดหน้านี้ไม่สำเร็จค่ะ แอปอาจมีการปรับปรุง หรือสัญญาณอินเทอร์เน็ตไม่ดี กด "โหลดใหม่" อีกครั้ง' : apiErrorText(error, 'ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งค่ะ'), 'error'),
          refused
            ? button('ไปหน้าของฉัน', () => navigate(BASE + 'loans'), 'primary')
            : partMissing
              ? button('โหลดใหม่', () => location.reload(), 'primary')
              : button('ลองใหม่', () => void route(), 'secondary'),
        ),
      );
    } finally {
      if (isCurrent()) releaseTaps();
    }
  }

  // A double tap on "บันทึก": its second tap must not land on whatever button the next page puts in the same place
  // (a payment form opened instead of a follow-up saved). Taps are held from a tap's navigation until a moment after
  // the page it opened is drawn.
  let tapsHeld: ReturnType<typeof setTimeout> | undefined;
  function holdTaps() {
    clearTimeout(tapsHeld);
    document.body.classList.add('taps-held');
    tapsHeld = setTimeout(() => document.body.classList.remove('taps-held'), 3000);
  }
  function releaseTaps() {
    if (!document.body.classList.contains('taps-held')) return;
    clearTimeout(tapsHeld);
    tapsHeld = setTimeout(() => document.body.classList.remove('taps-held'), 400);
  }

  document.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-link]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  window.addEventListener('popstate', () => void route());
  void route();
}

boot().catch((error: unknown) => {
  console.error(error);
  setTitle('ขออภัยค่ะ');
  root.replaceChildren(
    card(
      notice(error instanceof ApiError && error.offline ? error.message : 'เปิดแอปไม่สำเร็จค่ะ กรุณาปิดแล้วเปิดใหม่อีกครั้ง', 'error'),
      button('ลองใหม่', () => location.reload(), 'secondary'),
    ),
  );
});
