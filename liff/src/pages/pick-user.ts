// Simulator mode opened without a chosen demo user: pick one (as the simulator's chat would have).
import { h } from '../dom.ts';
import { card } from '../ui.ts';

interface Persona {
  lineUserId: string;
  label: string;
  kind: string;
  description: string;
}

export async function renderPickUser(root: HTMLElement, setTitle: (title: string) => void): Promise<void> {
  setTitle('เลือกผู้ใช้ตัวอย่าง');
  const response = await fetch('/simulator-api/personas');
  const { personas } = (await response.json()) as { personas: Persona[] };
  root.replaceChildren(
    card(
      h('p', { class: 'lead' }, 'โหมดจำลอง: เลือกผู้ใช้ที่จะเปิดแอปแทน'),
      h(
        'ul',
        { class: 'personas' },
        personas.map((p) => h('li', null, h('a', { class: 'btn secondary', href: `/liff/?simUser=${encodeURIComponent(p.lineUserId)}` }, p.label), h('small', null, p.description))),
      ),
    ),
  );
}
