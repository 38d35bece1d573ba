// A LINE account linked to an officer opened the borrowers' app.
import { h } from '../dom.ts';
import type { Page } from '../app-context.ts';
import { card } from '../ui.ts';

export const officerPage: Page = async (context) => {
  context.setTitle('บัญชีเจ้าหน้าที่');
  context.root.replaceChildren(
    card(
      h('p', { class: 'lead' }, 'บัญชี LINE นี้ผูกกับเจ้าหน้าที่ค่ะ'),
      h('p', null, 'หน้านี้สำหรับผู้กู้ ท่านพิจารณาคำขอเข้าร่วมมาตรการได้จากการ์ดที่ระบบส่งให้ในแชท และเปิดดูรายละเอียดกับเอกสารได้จากปุ่ม "ดูรายละเอียดและเอกสาร" ในการ์ด'),
    ),
  );
};
