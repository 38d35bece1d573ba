// ข้อมูลของฉัน: the borrower's PDPA rights in her hands — everything the fund holds about her, who looked at it, and
// unlinking this LINE account (asked twice: it stops every reminder). An officer sees only the unlink part.
import type { DataCopy, UnlinkResponse } from '../../../server/contracts/privacy.ts';
import { api, ApiError } from '../api.ts';
import { $, h } from '../dom.ts';
import { formatInstantDay, formatSatang, formatThaiDate, formatThaiDateTime, formatThaiPhone } from '../format.ts';
import type { Page, PageContext } from '../app-context.ts';
import { busy, button, card, linkButton, notice, rows } from '../ui.ts';

/** An instant as people read it: "8 ธ.ค. 2569 เวลา 10.05 น." (Bangkok). */
const when = (iso: string) => formatThaiDateTime(new Date(iso));

const PERIOD: Record<string, string> = { monthly: 'รายเดือน', quarterly: 'ราย 3 เดือน', yearly: 'รายปี' };

/** Masked as on every other screen ("1-xxxx-xxxxx-45-1"): two masks showing different digits would show most of it. */
function maskedId(id: string): string {
  return id.length === 13 ? `${id[0]}-xxxx-xxxxx-${id.slice(10, 12)}-${id[12]}` : 'x-xxxx-xxxxx-xx-x';
}

function spacedId(id: string): string {
  return id.length === 13 ? `${id[0]}-${id.slice(1, 5)}-${id.slice(5, 10)}-${id.slice(10, 12)}-${id[12]}` : id;
}

/** A list that can be long, folded away with its count in the summary line. */
function folded(title: string, items: HTMLElement[], empty: string): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted' }, empty);
  return h('details', { class: 'schedule' }, h('summary', null, `${title} (${items.length.toLocaleString('th-TH')} รายการ)`), h('ul', { class: 'plain-list' }, items));
}

function personCard(copy: DataCopy): HTMLElement {
  const idValue = h('span', { 'data-national-id': true }, maskedId(copy.person.nationalId));
  let shown = false;
  const toggle = button(
    'แสดงเลขเต็ม',
    () => {
      shown = !shown;
      idValue.textContent = shown ? spacedId(copy.person.nationalId) : maskedId(copy.person.nationalId);
      toggle.textContent = shown ? 'ซ่อนเลข' : 'แสดงเลขเต็ม';
    },
    'secondary',
    { class: 'btn secondary small' },
  );
  return card(
    h('h2', null, 'ข้อมูลส่วนตัว'),
    rows([
      ['ชื่อ', copy.person.fullName],
      ['เลขประจำตัวประชาชน', h('span', null, idValue, ' ', toggle)],
      ['โทรศัพท์', copy.person.phone ? formatThaiPhone(copy.person.phone) : 'ไม่มีในระบบ'],
      ['พื้นที่', copy.person.area],
      ['LINE ที่ผูกไว้', copy.lineAccount ? `ผูกเมื่อ ${formatInstantDay(copy.lineAccount.linkedAt)}` : 'ไม่ได้ผูก'],
    ]),
  );
}

function loansCard(copy: DataCopy): HTMLElement {
  return card(
    h('h2', null, `สัญญาเงินกู้ (${copy.loans.length} สัญญา)`),
    ...(copy.loans.length === 0
      ? [h('p', { class: 'muted' }, 'ไม่มีสัญญาเงินกู้ในระบบ')]
      : copy.loans.map((loan) =>
          h(
            'div',
            { class: 'data-block' },
            h('h3', null, `สัญญา ${loan.contractNo}`),
            rows([
              ['เงินกู้', formatSatang(loan.principal)],
              ['ผ่อน', `${PERIOD[loan.frequency] ?? loan.frequency} ${loan.installments.length} งวด`],
              ['ดอกเบี้ย', `${(loan.annualInterestBp / 100).toLocaleString('th-TH')}% ต่อปี`],
              ['ชำระแล้วทั้งหมด', formatSatang(loan.paidTotal)],
              loan.measure ? ['มาตรการ', loan.measure] : false,
              loan.litigation ? ['สถานะ', 'อยู่ระหว่างดำเนินคดี'] : false,
            ]),
            folded(
              'ตารางผ่อน',
              loan.installments.map((i) =>
                h('li', null, `งวดที่ ${i.seq} · ${formatThaiDate(i.dueOn)} · ${formatSatang(i.principal + i.interest)} · ชำระแล้ว ${formatSatang(i.paid)}`),
              ),
              'ไม่มีตารางผ่อน',
            ),
          ),
        )),
  );
}

function recordsCard(copy: DataCopy): HTMLElement {
  return card(
    h('h2', null, 'การชำระเงินและคำขอ'),
    h('h3', null, 'การชำระเงิน'),
    folded(
      'รายการชำระ',
      copy.payments.map((p) => h('li', null, `${when(p.recordedAt)} · สัญญา ${p.contractNo} · ${formatSatang(p.amount)} · ${p.sourceLabel}`)),
      'ยังไม่มีรายการชำระ',
    ),
    ...(copy.slips && copy.slips.length
      ? [
          h('h3', null, 'สลิปที่ท่านส่งทาง LINE'),
          folded('รายการสลิป', copy.slips.map((slip) => h('li', null, `${when(slip.receivedAt)} · ${slip.status}${slip.reference ? ` · เลขอ้างอิง ${slip.reference}` : ''}${slip.rejectReason ? ` · ${slip.rejectReason}` : ''}`)), ''),
        ]
      : []),
    h('h3', null, 'คำขอเข้าร่วมมาตรการ'),
    ...(copy.applications.length === 0
      ? [h('p', { class: 'muted' }, 'ยังไม่เคยยื่นคำขอ')]
      : copy.applications.map((a) =>
          h(
            'div',
            { class: 'data-block' },
            rows([
              ['คำขอ', `${a.measureTitle} · สัญญา ${a.contractNo}`],
              ['ยื่นเมื่อ', when(a.submittedAt)],
              ['สถานะ', a.status],
              ['เหตุผลที่แจ้ง', a.reason || '—'],
              ['โทรศัพท์ที่ให้ไว้', a.phone ? formatThaiPhone(a.phone) : '—'],
              ['เอกสารแนบ', `${a.documents} ไฟล์`],
            ]),
            folded('ประวัติ', a.history.map((t) => h('li', null, `${when(t.at)} · ${t.status}${t.note ? ` · ${t.note}` : ''}`)), 'ไม่มีประวัติ'),
          ),
        )),
  );
}

function activityCard(copy: DataCopy): HTMLElement {
  return card(
    h('h2', null, 'ข้อความและการเข้าถึงข้อมูล'),
    h('h3', null, 'การติดตามของเจ้าหน้าที่'),
    folded(
      'บันทึกการติดตาม',
      copy.followUps.map((f) =>
        h(
          'li',
          null,
          `${formatThaiDate(f.on)} · ${f.kind} · ${f.outcome} · ${f.officer}${f.note ? ` · ${f.note}` : ''}` +
            `${f.promise ? ` · นัดชำระ ${formatSatang(f.promise.amount)} ภายใน ${formatThaiDate(f.promise.promisedOn)} (${f.promise.status})` : ''}`,
        ),
      ),
      'ยังไม่มีบันทึกการติดตาม',
    ),
    h('h3', null, 'ข้อความที่กองทุนส่งถึงท่าน'),
    folded(
      'ข้อความ',
      copy.messages.map((m) => h('li', null, `${when(m.sentAt ?? m.createdAt)} · ${m.kindLabel} · ${m.statusLabel}`)),
      'ยังไม่มีข้อความ',
    ),
    h('h3', null, 'ใครเปิดดูหรือแก้ไขข้อมูลของท่าน'),
    folded('บันทึกการเข้าถึง', copy.accessLog.map((entry) => h('li', null, `${when(entry.at)} · ${entry.who} · ${entry.what}`)), 'ยังไม่มีบันทึก'),
  );
}

/** The copy as a file, for someone who wants to keep it (on a phone the page itself is the copy). */
function downloadButton(copy: DataCopy): HTMLElement {
  return button(
    'บันทึกสำเนาเป็นไฟล์',
    () => {
      const url = URL.createObjectURL(new Blob([JSON.stringify(copy, null, 2)], { type: 'application/json' }));
      const link = h('a', { href: url, download: `ข้อมูลของฉัน-${copy.generatedAt.slice(0, 10)}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    'secondary',
  );
}

function unlinkCard(context: PageContext, who: 'borrower' | 'officer', openApplications: ReadonlyArray<{ id: number; measureTitle: string }> = []): HTMLElement {
  const area = h('div', { class: 'unlink-area' });
  const explain =
    who === 'borrower'
      ? [
          'หลังยกเลิก ระบบจะไม่ส่งข้อความแจ้งเตือนเรื่องหนี้มาที่ LINE นี้อีก และดูยอดหนี้ใน LINE ไม่ได้จนกว่าจะผูกบัญชีใหม่',
          ...openApplications.map((a) => `คำขอเลขที่ ${a.id} (${a.measureTitle}) ยังอยู่ระหว่างพิจารณา ท่านจะไม่ได้รับแจ้งผลทาง LINE ต้องสอบถามผลจากเจ้าหน้าที่เอง`),
          'สัญญาเงินกู้ยังอยู่กับกองทุนตามเดิม และยังต้องชำระตามสัญญา',
          'ถ้าเปลี่ยนใจ ขอรหัสใหม่จากเจ้าหน้าที่แล้วผูกบัญชีได้ทุกเมื่อ',
        ]
      : ['หลังยกเลิก LINE นี้จะไม่ได้รับสรุปงาน คำขอรอพิจารณา และการแจ้งเตือนของเจ้าหน้าที่อีก จนกว่าจะผูกบัญชีใหม่ด้วยรหัสจากผู้ดูแลระบบ'];

  const ask = () => {
    const status = h('div');
    const confirm = button(
      'ยืนยัน ยกเลิกการผูกบัญชี',
      () =>
        void busy(confirm, 'กำลังยกเลิก…', async () => {
          try {
            await api<UnlinkResponse>('POST', '/api/liff/unlink', { body: {} });
            showUnlinked(context, who);
          } catch (error) {
            status.replaceChildren(notice(error instanceof ApiError ? error.message : 'ยกเลิกไม่สำเร็จ กรุณาลองใหม่อีกครั้งค่ะ', 'error'));
          }
        }),
      'danger',
    );
    area.replaceChildren(
      notice('แน่ใจไหมคะ? ยกเลิกแล้ว LINE นี้จะไม่ได้รับข้อความจากกองทุนอีก', 'error'),
      status,
      h('div', { class: 'row-buttons' }, confirm, button('ไม่ยกเลิก', () => area.replaceChildren(start()), 'secondary')),
    );
    confirm.focus();
  };
  const start = () => button('ยกเลิกการผูกบัญชี LINE', ask, 'danger');
  area.append(start());
  return card(h('h2', null, 'ยกเลิกการผูกบัญชี LINE'), h('ul', { class: 'plain-list' }, explain.map((line) => h('li', null, line))), area);
}

function showUnlinked(context: PageContext, who: 'borrower' | 'officer') {
  const tabs = $('#tabs');
  if (tabs) tabs.hidden = true;
  context.setTitle('ยกเลิกการผูกบัญชีแล้ว');
  context.root.replaceChildren(
    card(
      notice(who === 'borrower' ? 'ยกเลิกการผูกบัญชีเรียบร้อยแล้วค่ะ ระบบจะไม่ส่งข้อความเรื่องหนี้มาที่ LINE นี้อีก' : 'ยกเลิกการผูกบัญชีเจ้าหน้าที่เรียบร้อยแล้วค่ะ', 'success'),
      h('p', null, 'ถ้าต้องการกลับมาใช้ ขอรหัสผูกบัญชีใหม่จากเจ้าหน้าที่ แล้วกรอกรหัสที่หน้าผูกบัญชี หรือพิมพ์ในแชตได้เลยค่ะ'),
      linkButton('ผูกบัญชีใหม่', '/liff/link', 'secondary'),
    ),
  );
  window.scrollTo(0, 0);
}

export const privacyPage: Page = async (context) => {
  context.setTitle('ข้อมูลของฉัน');
  let copy: DataCopy;
  try {
    copy = await api<DataCopy>('GET', '/api/liff/my-data');
  } catch (error) {
    // An officer's LINE account holds no borrower data: only unlinking applies.
    if (error instanceof ApiError && error.code === 'FORBIDDEN') {
      context.root.replaceChildren(unlinkCard(context, 'officer'));
      return;
    }
    throw error;
  }
  // A borrower keeps her tabs here (the way back to her loans); the route drew them hidden for officers' sake.
  const tabs = $('#tabs');
  if (tabs) tabs.hidden = false;
  context.root.replaceChildren(
    card(
      h('p', { class: 'lead' }, 'ข้อมูลทั้งหมดที่กองทุนพัฒนาบทบาทสตรีเก็บเกี่ยวกับท่าน'),
      h('p', { class: 'muted' }, `ข้อมูล ณ ${when(copy.generatedAt)} · ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 ท่านมีสิทธิ์ขอดูข้อมูลนี้ได้ทุกเมื่อ`),
      h('p', { class: 'muted' }, 'หากข้อมูลไม่ถูกต้อง แจ้งเจ้าหน้าที่พัฒนาชุมชนเพื่อแก้ไขได้ค่ะ'),
    ),
    personCard(copy),
    loansCard(copy),
    recordsCard(copy),
    activityCard(copy),
    card(downloadButton(copy)),
    unlinkCard(context, 'borrower', copy.applications.filter((a) => a.open)),
  );
};
