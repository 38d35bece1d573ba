// The officers' pages, loaded together on demand (a borrower's phone never downloads them).
export { workPage } from './work.ts';
export { debtorListPage } from './debtors.ts';
export { debtorPage } from './debtor.ts';
export { followUpPage } from './follow-up.ts';
export { paymentPage } from './payment.ts';
export { areaPage } from './area.ts';
export { applicationsPage } from './applications.ts';
export { centresHomePage, centreRoundPage, centreScorePage, centreRubricPage } from './centres.ts';
export { slipsPage } from './slips.ts';
export { statementsPage } from './statements.ts';
export { reportsPage } from './reports.ts';
export { budgetPage } from './budget.ts';
// The application review page: opened by officers from a card in chat (a borrower never sees it).
export { reviewPage } from '../review.ts';
