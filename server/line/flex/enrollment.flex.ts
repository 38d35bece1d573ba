// Messages about applications to join a relief measure: the officer's review card with its decision buttons,
// the borrower's status updates and the officers' deadline reminders.
import { DEBTOR_STATUS_LABEL, type DebtorStatus } from '../../domain/debtor-status.ts';
import {
  DECISIONS_AT_LEVEL,
  BORROWER_ENROLLMENT_STATUS_THAI,
  REVIEW_LEVEL_THAI,
  type EnrollmentStatus,
  type OfficerDecision,
  type ReviewLevel,
} from '../../domain/enrollment-workflow.ts';
import { formatThaiDate, formatThaiDateTime } from '../../domain/local-date.ts';
import { formatSatang, type Satang } from '../../domain/money.ts';
import { REASON_CODE_THAI, type ReasonCode } from '../../contracts/liff.ts';
import { formatAreaPath } from '../../content/area-names.ts';
import { deadlineText, ENROLLMENT_THAI } from '../../content/enrollment-texts.th.ts';
import type { BorrowerUpdate, EnrollmentCard } from '../../services/notifications.ts';
import type { PendingReviewItem } from '../../services/chat-answers.ts';
import type { LineMessage } from '../line-message.ts';
import { enrollmentDecisionData } from '../postback.ts';
import { box, bubble, flexMessage, postbackButton, row, separator, text, uriButton, ACCENT, MUTED, type FlexComponent } from './flex-parts.ts';

// ---------- the officer's card ----------

/** A card shows the first 300 characters of what the borrower wrote; the review page shows it all. */
const shortened = (written: string) => (written.length > 300 ? `${written.slice(0, 299)}…` : written);

function reasonLine(reasonCode: string | null, reason: string): string {
  const label = reasonCode && reasonCode in REASON_CODE_THAI ? REASON_CODE_THAI[reasonCode as ReasonCode] : undefined;
  return label ? `${label}: ${shortened(reason)}` : shortened(reason);
}

export function enrollmentReviewMessage(card: EnrollmentCard, reviewUrl: string): LineMessage {
  const money = (value: Satang | null) => (value === null ? 'ไม่ได้ระบุ' : formatSatang(value));
  const body: FlexComponent[] = [
    text(`คุณ${card.borrowerName}`, { size: 'lg', weight: 'bold' }),
    text(`เลขประจำตัว ${card.nationalIdMasked}`, { size: 'sm', color: MUTED }),
    text(formatAreaPath(card.areaPath), { size: 'sm', color: MUTED }),
    separator(),
    row('สัญญา', card.contractNo),
    row('มาตรการ', card.measureTitle),
    row('สถานะหนี้', DEBTOR_STATUS_LABEL[card.loanStatus].thai, { color: DEBTOR_STATUS_LABEL[card.loanStatus].hex }),
    row('ยอดค้างชำระ', formatSatang(card.overdue)),
    row('ยอดหนี้คงเหลือ', formatSatang(card.outstandingTotal)),
    separator(),
    text('สาเหตุที่ขอความช่วยเหลือ', { size: 'sm', color: MUTED, margin: 'md' }),
    text(reasonLine(card.reasonCode, card.reason), { size: 'md' }),
    row('รายได้ครัวเรือน/เดือน', money(card.monthlyIncome)),
    row('รายจ่ายครัวเรือน/เดือน', money(card.monthlyExpenses)),
    row('ผ่อนได้/เดือน', money(card.affordablePayment)),
    row('โทร', card.phone),
    row('เอกสารแนบ', `${card.documentCount} ไฟล์`),
    separator(),
    text(`ยื่นคำขอ ${formatThaiDateTime(new Date(card.submittedAt))}`, { size: 'sm', color: MUTED, margin: 'md' }),
    text(`⏰ ${REVIEW_LEVEL_THAI[card.level]}ดำเนินการภายใน ${deadlineText(new Date(card.deadlineAt))} (15 วัน)`, { size: 'sm', weight: 'bold', color: '#D32F2F' }),
  ];
  if (card.requestedDocuments?.length) {
    body.splice(body.length - 2, 0, text(`เอกสารที่ขอไว้: ${card.requestedDocuments.join(', ')}`, { size: 'sm', margin: 'md' }));
  }
  if (card.borrowerNote) body.splice(body.length - 2, 0, text(`ผู้กู้แจ้งมากับเอกสาร: ${shortened(card.borrowerNote)}`, { size: 'sm', margin: 'md' }));
  // It reached an officer above its level: say why, so nobody wonders whether it is theirs to decide.
  if (card.delegatedFrom) body.unshift(text(`ℹ️ ${ENROLLMENT_THAI.delegated(card.delegatedFrom)}`, { size: 'sm', color: '#8A6D00', margin: 'none' }));
  const buttons = DECISIONS_AT_LEVEL[card.level].map(({ decision, label }) =>
    postbackButton(label, enrollmentDecisionData(card.id, decision, card.version), label, decision === 'forward' || decision === 'approve' ? 'primary' : 'secondary'),
  );
  const header = box(
    'vertical',
    [
      text(card.resubmitted ? 'คำขอที่ส่งเอกสารเพิ่มแล้ว' : 'คำขอเข้าร่วมมาตรการ', { size: 'sm', color: '#FFFFFF' }),
      text(`คำขอ #${card.id}`, { size: 'xl', weight: 'bold', color: '#FFFFFF' }),
    ],
    { backgroundColor: ACCENT, paddingAll: 'lg' },
  );
  const message = flexMessage(
    `คำขอเข้าร่วมมาตรการ #${card.id}: คุณ${card.borrowerName} สัญญา ${card.contractNo} ${card.measureTitle} — กรุณาพิจารณาภายใน ${deadlineText(new Date(card.deadlineAt))}`,
    bubble({
      header,
      body: box('vertical', body),
      footer: box('vertical', [...buttons, uriButton('ดูรายละเอียดและเอกสาร', reviewUrl, 'link')]),
    }),
  );
  return message;
}

// ---------- the borrower's updates ----------

function updateLines(u: BorrowerUpdate): { title: string; lines: string[] } {
  const by = u.deadlineAt ? deadlineText(new Date(u.deadlineAt)) : '';
  switch (u.to) {
    case 'district_review':
    case 'province_review':
    case 'department_review': {
      const level = u.to === 'district_review' ? 'district' : u.to === 'province_review' ? 'province' : 'department';
      if (u.from === null) {
        return {
          title: 'ได้รับคำขอของท่านแล้วค่ะ',
          lines: [`มาตรการ "${u.measureTitle}" สัญญา ${u.contractNo}`, `คำขอเลขที่ ${u.id}`, `ขั้นต่อไป: ${REVIEW_LEVEL_THAI[level]}จะตรวจสอบภายในวันที่ ${by}`],
        };
      }
      if (u.from === 'needs_documents') {
        return { title: 'ได้รับเอกสารเพิ่มเติมแล้วค่ะ', lines: [`คำขอเลขที่ ${u.id} (${u.measureTitle})`, `${REVIEW_LEVEL_THAI[level]}จะพิจารณาต่อภายในวันที่ ${by}`] };
      }
      const passed = u.from === 'district_review' ? 'อำเภอ' : 'จังหวัด';
      return {
        title: `ผ่านการพิจารณาของ${passed}แล้วค่ะ`,
        lines: [`คำขอเลขที่ ${u.id} (${u.measureTitle}) ส่งต่อไปยัง${REVIEW_LEVEL_THAI[level]}แล้ว`, `จะพิจารณาภายในวันที่ ${by}`],
      };
    }
    case 'needs_documents':
      return {
        title: 'เจ้าหน้าที่ขอเอกสารเพิ่มเติมค่ะ',
        lines: [
          `คำขอเลขที่ ${u.id} (${u.measureTitle})`,
          ...(u.requestedDocuments?.length ? ['เอกสารที่ต้องส่ง:', ...u.requestedDocuments.map((label) => `• ${label}`)] : u.note ? [`สิ่งที่ต้องการ: ${u.note}`] : []),
          'ถ่ายรูปเอกสารแล้วกดปุ่มด้านล่างเพื่อแนบ คำขอจะกลับไปพิจารณาต่อทันที',
        ],
      };
    case 'approved': {
      const s = u.newSchedule;
      return {
        title: 'ยินดีด้วยค่ะ คำขอได้รับอนุมัติแล้ว 🎉',
        lines: [
          `สัญญา ${u.contractNo} เข้าร่วมมาตรการ "${u.measureTitle}" ตั้งแต่วันนี้`,
          ...(s && s.firstDueOn
            ? [`ค่างวดใหม่ ${formatSatang(s.regularInstallment)}`, `งวดแรกวันที่ ${formatThaiDate(s.firstDueOn)}`, ...(s.lastDueOn ? [`งวดสุดท้ายวันที่ ${formatThaiDate(s.lastDueOn)}`] : [])]
            : ['ตารางผ่อนของท่านยังเหมือนเดิม']),
          'ผ่อนตามตารางอย่างสม่ำเสมอ ช่วยลดโอกาสถูกดำเนินคดีค่ะ 💛',
        ],
      };
    }
    case 'rejected':
      return {
        title: 'คำขอไม่ได้รับอนุมัติค่ะ',
        lines: [
          `คำขอเลขที่ ${u.id} (${u.measureTitle}) สัญญา ${u.contractNo}`,
          ...(u.note ? [`เหตุผล: ${u.note}`] : []),
          'หากมีข้อสงสัย ติดต่อสำนักงานพัฒนาชุมชนอำเภอได้เลยค่ะ ท่านยังสมัครมาตรการอื่นที่เหมาะกับท่านได้',
        ],
      };
    case 'withdrawn':
      return { title: 'ยกเลิกคำขอแล้วค่ะ', lines: [`คำขอเลขที่ ${u.id} (${u.measureTitle})`, 'หากต้องการความช่วยเหลือ สมัครใหม่ได้ทุกเมื่อค่ะ'] };
  }
}

export function borrowerUpdateMessage(update: BorrowerUpdate, liffUrl: string): LineMessage {
  const { title, lines } = updateLines(update);
  const target = update.to === 'approved' ? `${liffUrl}/loans` : `${liffUrl}/applications`;
  const button = update.to === 'needs_documents' ? 'แนบเอกสารเพิ่มเติม' : update.to === 'approved' ? 'ดูตารางผ่อนใหม่' : 'ดูสถานะคำขอ';
  return flexMessage(
    `${title} ${lines.join(' ')}`,
    bubble({
      header: box('vertical', [text(title, { size: 'lg', weight: 'bold' }), text(BORROWER_ENROLLMENT_STATUS_THAI[update.to], { size: 'sm', color: MUTED })], { paddingAll: 'lg' }),
      body: box('vertical', lines.map((line, i) => text(line, { size: 'md', ...(i > 0 ? { margin: 'sm' } : {}) }))),
      footer: box('vertical', [uriButton(button, target)]),
    }),
  );
}

export function officerReminderMessage(id: number, contractNo: string, level: ReviewLevel, deadlineAt: Date, reviewUrl: string): LineMessage {
  const line = ENROLLMENT_THAI.overdue(id, contractNo, level, deadlineAt);
  return flexMessage(line, bubble({ body: box('vertical', [text(line, { size: 'md' })]), footer: box('vertical', [uriButton('เปิดคำขอ', reviewUrl)]) }));
}

/** The applications waiting for an officer (คำขอรอพิจารณา): one row each, nearest deadline first, each opening its page. */
export function pendingReviewsMessage(items: readonly PendingReviewItem[], total: number, liffUrl: string): LineMessage {
  const head = ENROLLMENT_THAI.pendingReviewsHead(total);
  const rowsOut = items.map((item) =>
    box(
      'vertical',
      [
        text(`#${item.enrollmentId} คุณ${item.borrowerName}`, { weight: 'bold', size: 'md' }),
        text(`${item.measureTitle} · สัญญา ${item.contractNo}`, { size: 'sm', color: MUTED }),
        text(`ครบกำหนด ${deadlineText(item.deadlineAt)}${item.delegatedFrom ? ` · แทน${item.delegatedFrom}` : ''}`, { size: 'sm', color: item.deadlineAt.getTime() < Date.now() ? '#D32F2F' : MUTED }),
      ],
      { margin: 'lg', action: { type: 'uri', label: 'เปิด', uri: `${liffUrl}/review/${item.enrollmentId}` } },
    ),
  );
  const more = total > items.length ? [text(`และอีก ${total - items.length} รายการ`, { size: 'sm', color: MUTED, margin: 'lg' })] : [];
  return flexMessage(
    `${head}: ${items.map((i) => `#${i.enrollmentId} ${i.borrowerName}`).join(', ')}`,
    bubble({ header: box('vertical', [text(head, { weight: 'bold', size: 'lg' })], { paddingAll: 'lg' }), body: box('vertical', [...rowsOut, ...more]) }),
  );
}
