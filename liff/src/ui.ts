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
  control.id ||= `field-${name}`;
  control.setAttribute('aria-describedby', `error-${name}`);
  return h(
    'div',
    { class: 'field', 'data-field': name },
    h('label', { for: control.id }, label),
    hint ? h('small', { class: 'hint' }, hint) : null,
    control,
    h('p', { class: 'field-error', id: `error-${name}`, 'data-error-for': name, role: 'alert' }),
  );
}

/** Shows each error beside its field; returns the messages no field on screen could take. */
export function showFieldErrors(root: ParentNode, errors: Array<{ path: string; message: string }>): string[] {
  for (const slot of root.querySelectorAll<HTMLElement>('[data-error-for]')) {
    slot.textContent = '';
    slot.closest('.field')?.classList.remove('invalid');
  }
  const unplaced: string[] = [];
  for (const error of errors) {
    const name = error.path.split('.')[0] ?? '';
    const slot = root.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) {
      unplaced.push(error.message);
      continue;
    }
    if (!slot.textContent) slot.textContent = error.message;
    slot.closest('.field')?.classList.add('invalid');
  }
  root.querySelector<HTMLElement>('.field.invalid input, .field.invalid textarea, .field.invalid select')?.focus();
  return unplaced;
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
