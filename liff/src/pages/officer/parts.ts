// Pieces the officers' pages share: colour chips, a debtor's row, big choice buttons, dates shown in พ.ศ. beside
// the picker, baht typed as text, and an Idempotency-Key per form.
import { COLOUR_THAI, type Colour, type DebtorListItem, type WorkItem } from '../../../../server/contracts/officer.ts';
import { parseBahtToSatang } from '../../../../server/domain/money.ts';
import { h, type Child } from '../../dom.ts';
import { randomKey } from '../../draft.ts';
import { formatSatang, formatThaiDate } from '../../format.ts';

export function colourChip(colour: Colour): HTMLElement {
  const { label, hex } = COLOUR_THAI[colour];
  return h('span', { class: `chip colour-${colour}`, style: `background:${hex};color:${colour === 'yellow' ? '#212121' : '#fff'}` }, label);
}

export function debtorHref(borrowerId: number, suffix = ''): string {
  return `/liff/officer/debtors/${borrowerId}${suffix}`;
}

/** One debtor in a list: everything tappable, the facts an officer decides on in two lines. */
export function debtorRow(item: DebtorListItem | WorkItem, extra?: Child): HTMLElement {
  const overdue = item.overdueSatang > 0 ? h('span', { class: 'red' }, `ค้าง ${formatSatang(item.overdueSatang)} · ${item.daysPastDue.toLocaleString('th-TH')} วัน`) : h('span', { class: 'muted' }, 'ไม่มียอดค้าง');
  const facts: Child[] = [];
  if ('lastContactOn' in item) {
    facts.push(item.lastContactOn ? `ติดต่อล่าสุด ${formatThaiDate(item.lastContactOn)}` : 'ยังไม่เคยบันทึกการติดตาม');
    if (item.nextPromiseOn) facts.push(` · นัดชำระ ${formatThaiDate(item.nextPromiseOn)}`);
  }
  return h(
    'a',
    { class: 'debtor-row', href: debtorHref(item.borrowerId), 'data-link': true, 'data-borrower': item.borrowerId },
    h('span', { class: 'debtor-head' }, h('strong', null, item.fullName), colourChip(item.colour)),
    h('span', { class: 'muted' }, item.area),
    overdue,
    'reason' in item ? h('span', { class: 'reason' }, item.reason) : facts.length ? h('small', { class: 'muted' }, ...facts) : null,
    extra ?? null,
  );
}

/** Big radio buttons in a wrapping row: one tap each, readable at arm's length. */
export function choiceChips<T extends string>(name: string, options: ReadonlyArray<readonly [T, string]>, selected: T | '', onChange?: (value: T) => void): HTMLElement {
  return h(
    'div',
    { class: 'chip-choices', role: 'radiogroup' },
    options.map(([value, label]) =>
      h(
        'label',
        { class: 'chip-choice' },
        h('input', { type: 'radio', name, value, checked: value === selected, onChange: () => onChange?.(value) }),
        h('span', null, label),
      ),
    ),
  );
}

export function checkedValue(root: ParentNode, name: string): string {
  return root.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';
}

/** A date picker with the chosen day written out in พ.ศ. beside it (the picker itself may show ค.ศ.). */
export function dateInput(name: string, value: string, options: { min?: string; max?: string } = {}): HTMLElement {
  const input = h('input', { type: 'date', name, id: `field-${name}`, value, min: options.min, max: options.max, class: 'date-input', 'data-field-control': true });
  const said = h('span', { class: 'date-said', 'aria-live': 'polite' }, value ? formatThaiDate(value) : 'ยังไม่ได้เลือก');
  input.addEventListener('input', () => (said.textContent = input.value ? formatThaiDate(input.value) : 'ยังไม่ได้เลือก'));
  return h('div', { class: 'date-field' }, input, said);
}

/** What to say about an amount `satangOf` did not take: 0 is a number, just not an amount anyone pays. */
export function amountProblem(text: string, example: string): string {
  return parseBahtToSatang(text) === 0 ? 'ยอดต้องมากกว่า 0 บาทค่ะ' : `กรุณากรอกยอดเป็นตัวเลข เช่น ${example}`;
}

/** Baht as typed ("1,150", "1150.50") → satang; undefined when it is not an amount. */
export function satangOf(text: string): number | undefined {
  const satang = parseBahtToSatang(text);
  return satang !== undefined && satang > 0 ? satang : undefined;
}

/** An Idempotency-Key for one form: kept for this tab until it is sent, so a reload and a retry send the same. */
export function formKey(scope: string): { key: string; done(): void } {
  const storageKey = `wdf-liff:form-key:${scope}`;
  let key = sessionStorage.getItem(storageKey);
  if (!key) {
    key = randomKey();
    sessionStorage.setItem(storageKey, key);
  }
  return { key, done: () => sessionStorage.removeItem(storageKey) };
}

export function section(title: string, count: number | undefined, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', { class: 'section-title' }, title, count === undefined ? null : h('span', { class: 'count' }, count.toLocaleString('th-TH'))), ...children);
}
