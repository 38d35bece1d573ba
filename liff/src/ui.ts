// Shared pieces of the screens: status chips, cards, labelled fields with their error line, notices.
import { h, type Child } from './dom.ts';

export function chip(label: string, colour: string): HTMLElement {
  const light = colour.toUpperCase() === '#E0A800';
  return h('span', { class: 'chip', style: `background:${colour};color:${light ? '#212121' : '#fff'}` }, label);
}

export function card(...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, ...children);
}

export function notice(text: string, kind: 'info' | 'error' | 'success' = 'info'): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function rows(pairs: Array<[string, Child] | false | undefined>): HTMLElement {
  return h(
    'dl',
    { class: 'rows' },
    pairs.filter((pair): pair is [string, Child] => Array.isArray(pair)).map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))),
  );
}

/** A form field: label, control, hint, and the line where its error appears (data-error-for). */
export function field(name: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  // A compound control (a file picker) names the element its label belongs to.
  const target = control.querySelector<HTMLElement>('[data-field-control]') ?? control;
  target.id ||= `field-${name}`;
  // Named after the control, not the field: a page with one form per item (the slips) has many fields of one name.
  const errorId = `error-${target.id}`;
  target.setAttribute('aria-describedby', [target.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' '));
  // The error sits under the label, above the control: below a long list of choices it would be off the screen.
  const error = h('p', { class: 'field-error', id: errorId, 'data-error-for': name, role: 'alert' });
  // A group of choices cannot take a <label for>: it is named by the label instead (screen readers said nothing).
  const labelId = `label-${target.id}`;
  const labelable = target.matches('input, select, textarea, button');
  if (!labelable) {
    if (!target.getAttribute('role')) target.setAttribute('role', 'group');
    target.setAttribute('aria-labelledby', labelId);
  }
  const wrapper = h('div', { class: 'field', 'data-field': name }, h('label', { for: labelable ? target.id : undefined, id: labelId }, label), hint ? h('small', { class: 'hint' }, hint) : null, error, control);
  // Answered: the error goes away (change bubbles up from the radios of a list, too).
  const clear = () => {
    error.textContent = '';
    wrapper.classList.remove('invalid');
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
  return wrapper;
}

/** Shows each error beside its field; returns the messages no field on screen could take. */
export function showFieldErrors(root: ParentNode, errors: Array<{ path: string; message: string }>): string[] {
  for (const slot of root.querySelectorAll<HTMLElement>('[data-error-for]')) {
    slot.textContent = '';
    slot.closest('.field')?.classList.remove('invalid');
  }
  const unplaced: string[] = [];
  for (const error of errors) {
    // The field's own slot ("promise.amountSatang"), else the nearest enclosing one ("promise").
    const parts = error.path.split('.');
    let slot: HTMLElement | null = null;
    for (let length = parts.length; length > 0 && !slot; length--) {
      slot = root.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(parts.slice(0, length).join('.'))}"]`);
    }
    if (!slot) {
      unplaced.push(error.message);
      continue;
    }
    if (!slot.textContent) slot.textContent = error.message;
    slot.closest('.field')?.classList.add('invalid');
  }
  // Brought into view with its label and error, then focused: a "next" that seems to do nothing is worse than none.
  const first = root.querySelector<HTMLElement>('.field.invalid');
  first?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  first?.querySelector<HTMLElement>('input:not([disabled]), textarea, select')?.focus({ preventScroll: true });
  return unplaced;
}

/** Shows each error beside its field, and in `slot` what no field on screen could take. */
export function showFormErrors(root: ParentNode, errors: Array<{ path: string; message: string }>, slot: HTMLElement): void {
  const rest = showFieldErrors(root, errors);
  if (rest.length) slot.replaceChildren(notice(rest.join(' '), 'error'));
}

export interface FilePicker {
  /** The picker to put on the page (or to give to `field`): the Thai button and the line saying what is attached. */
  element: HTMLElement;
  input: HTMLInputElement;
  /** Says what is attached now (`verb`: "แนบแล้ว" for files sent, "เลือกแล้ว" for one still to send). */
  show(names: string[], verb?: string): void;
  /** Says something else on the status line (a file being sent, an error). */
  say(text: string, kind?: 'info' | 'error'): void;
}

let filePickers = 0;

/**
 * A file control in Thai: the browser's own says "Choose Files" / "No file chosen" in English, so it is hidden (still
 * focusable with the keyboard and named for a screen reader) behind a big label-button, and a status line lists what
 * is attached.
 */
export function filePicker(options: { accept: string; multiple?: boolean; label?: string; empty?: string; name?: string; id?: string }): FilePicker {
  const id = options.id ?? `file-picker-${++filePickers}`;
  const empty = options.empty ?? 'ยังไม่ได้แนบไฟล์';
  const status = h('p', { class: 'file-status muted', id: `${id}-status`, 'aria-live': 'polite' }, empty);
  const input = h('input', { type: 'file', id, name: options.name, accept: options.accept, multiple: options.multiple ?? false, class: 'visually-hidden', 'aria-describedby': status.id, 'data-field-control': true });
  const label = h('label', { class: 'btn secondary file-button', for: id }, options.label ?? 'เลือกรูปหรือไฟล์');
  const element = h('div', { class: 'file-picker' }, input, label, status);
  return {
    element,
    input,
    show(names, verb = 'แนบแล้ว') {
      status.classList.remove('error');
      status.textContent = names.length ? `${verb} ${names.length} ไฟล์: ${names.join(', ')}` : empty;
    },
    say(text, kind = 'info') {
      status.classList.toggle('error', kind === 'error');
      status.textContent = text;
    },
  };
}

export function button(label: string, onClick: (event: Event) => void, kind: 'primary' | 'secondary' | 'danger' = 'primary', attrs: Record<string, unknown> = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: `btn ${kind}`, onClick, ...attrs }, label);
}

export function linkButton(label: string, href: string, kind: 'primary' | 'secondary' = 'primary'): HTMLAnchorElement {
  return h('a', { class: `btn ${kind}`, href, 'data-link': true }, label);
}

/** Disables a button while `work` runs, so a double tap does one thing. */
export async function busy<T>(target: HTMLButtonElement, text: string, work: () => Promise<T>): Promise<T> {
  const label = target.textContent;
  target.disabled = true;
  target.textContent = text;
  try {
    return await work();
  } finally {
    target.disabled = false;
    target.textContent = label;
  }
}
