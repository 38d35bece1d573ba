// What borrowers and officers really type, and what we must understand by it. Many borrowers are women in
// their sixties typing as they speak on a cheap phone: polite particles, missing tone marks, no spaces,
// regional words, Thai digits, emoji. A new phrase that goes wrong in production belongs here.
import { describe, expect, it } from 'vitest';
import type { BorrowerChatIntent, OfficerMessage } from '../../server/domain/chat-intent.ts';
import { detectBorrowerChatIntent, detectBorrowerIntent, detectOfficerIntent, isOfficerCommand, parseOfficerMessage } from '../../server/content/chat-intents.th.ts';

const BORROWER_PHRASINGS: ReadonlyArray<readonly [string, BorrowerChatIntent | undefined]> = [
  // --- how much do I owe
  ['ยอดหนี้เท่าไหร่คะ', 'debt'],
  ['หนี้เหลือเท่าไรคะ', 'debt'],
  ['เหลือหนี้อีกเท่าไหร่ค่ะ', 'debt'], // ค่ะ where คะ belongs: the usual slip
  ['ยอดหนี', 'debt'], // tone mark left out
  ['ยอดหนี้คงเหลือ', 'debt'],
  ['เช็คยอดหนี้หน่อยค่ะ', 'debt'],
  ['เช็กยอด', 'debt'],
  ['check ยอด', 'debt'],
  ['ขอดูยอดค้างค่ะ', 'debt'],
  ['ยังค้างอยู่เท่าไหร่', 'debt'],
  ['ติดอยู่เท่าไหร่คะ', 'debt'],
  ['ยอดหนี้ ๑๒,๐๐๐ ใช่ไหมคะ', 'debt'], // Thai digits
  ['ยอดหนี้ค่าาาา', 'debt'],
  ['หนี้ค้างเท่าไร 🙏', 'debt'],
  ['อยากทราบยอดหนี้ค่ะ', 'debt'],
  ['เหลือกี่งวดคะ', 'debt'],
  ['ยอดเงินกู้เหลือเท่าไหร่', 'debt'],
  ['ยอดหนี้ของแม่ค่ะ ลูกสาวพิมพ์แทน', 'debt'],
  ['หนี้สินยังเหลือบ่', 'debt'], // Isan: บ่ = ไหม (still any debt left?)
  ['ขอเบิ่งยอดหนี้แหน่', 'debt'], // Isan: เบิ่ง = ดู (look), แหน่ = หน่อย
  ['หนี้ยังเหลือท่อใด๋', 'debt'], // Isan: ท่อใด๋ = เท่าไหร่
  ['หนี้เหลือเต้าใดเจ้า', 'debt'], // northern: เต้าใด = เท่าไหร่, เจ้า = ค่ะ
  ['ยังค้างอยู่หม้าย', 'debt'], // southern: หม้าย = ไหม
  ['หนี้เกินกำหนดชำระเท่าไหร่', 'debt'], // overdue: about the debt, not the next due date

  // --- when and how much is the next payment
  ['ต้องจ่ายวันไหน', 'next_payment'],
  ['ต้องจ่ายวันไหนคะ', 'next_payment'],
  ['งวดหน้าเท่าไหร่', 'next_payment'],
  ['งวดหน้าต้องจ่ายเท่าไหร่คะ', 'next_payment'],
  ['ครบกำหนดเมื่อไหร่', 'next_payment'],
  ['ครบกำหนดวันที่เท่าไหร่คะ', 'next_payment'],
  ['ครบกำหนดชำระเมื่อไหร่ครับ', 'next_payment'],
  ['ต้องส่งงวดวันไหนคะ', 'next_payment'],
  ['งวดต่อไปจ่ายเมื่อไร', 'next_payment'],
  ['ค่างวดเดือนละเท่าไหร่', 'next_payment'],
  ['งวดนี้ต้องจ่ายกี่บาทคะ', 'next_payment'],
  ['ถึงกำหนดจ่ายยัง', 'next_payment'],
  ['ต้องจ่ายวันที่ ๕ ใช่ไหมคะ', 'next_payment'],
  ['ตองจายวันไหน', 'next_payment'], // no tone marks at all
  ['จ่ายเดือนละเท่าไหร่', 'next_payment'],
  ['ต้องส่งมื้อใด๋', 'next_payment'], // Isan: มื้อใด๋ = วันไหน

  // --- cannot pay, wants time or less: beats "how to pay" whenever both appear
  ['ช่วยด้วย ไม่มีเงินจ่าย', 'distress'],
  ['ขอเลื่อนจ่ายได้ไหมคะ', 'distress'],
  ['ขอผ่อนได้ไหม', 'distress'],
  ['จ่ายไม่ไหวแล้วค่ะ', 'distress'],
  ['เดือนนี้ไม่มีเงินจ่ายเลยค่ะ', 'distress'],
  ['ไมมีเงินจ่าย', 'distress'],
  ['ไม่มีเงินจ่าย ทำยังไงดีคะ', 'distress'],
  ['ไม่มีตังค์ส่งค่ะ', 'distress'],
  ['เงินไม่พอจ่ายค่ะ', 'distress'],
  ['ตกงานค่ะ จ่ายไม่ไหว', 'distress'],
  ['ป่วยนอนโรงพยาบาลอยู่ค่ะ', 'distress'],
  ['ไม่สบายค่ะ ขอเลื่อนก่อน', 'distress'],
  ['น้ำท่วมบ้าน ของเสียหายหมด', 'distress'],
  ['ไฟไหม้บ้านค่ะ', 'distress'],
  ['สามีเสียค่ะ ไม่มีใครช่วยจ่าย', 'distress'],
  ['ขายของไม่ได้เลยช่วงนี้', 'distress'],
  ['ขอผ่อนผันไปก่อนนะคะ', 'distress'],
  ['ขอแบ่งจ่ายได้ไหมคะ', 'distress'],
  ['ขอเลือนจ่าย', 'distress'], // เลื่อน without its tone mark
  ['จ่ายไม่ทันค่ะ เดือนนี้ขอเลื่อน', 'distress'],
  ['ช่วยด้วยค่ะ😭😭', 'distress'],
  ['ขอลดดอกเบี้ยได้ไหมคะ ไม่ไหวจริงๆ', 'distress'],
  ['บ่มีเงินส่งเด้อ', 'distress'], // Isan: บ่ = ไม่, เด้อ = นะ
  ['ขอเลื่อนได้บ่', 'distress'], // Isan: ได้บ่ = ได้ไหม
  ['จ่ายบ่ไหวแล้ว', 'distress'], // Isan
  ['เงินบ่มีจ้า', 'distress'], // Isan word order: money — not have
  ['บ่มีสตางค์ส่งเจ้า', 'distress'], // northern: สตางค์ = money, เจ้า = ค่ะ
  ['ขอเลื่อนไปเดือนหน้าได้หม้าย', 'distress'], // southern: หม้าย = ไหม
  ['เลื่อนไม่ได้ใช่ม้าย', 'distress'], // southern: ใช่ม้าย = ใช่ไหม
  ['ตังค์ไม่มีหนิ', 'distress'], // southern particle หนิ
  ['ราคายางตกมาก ส่งไม่ไหว', 'distress'], // rubber price, the south's usual reason

  // --- relief measures
  ['มาตรการช่วยเหลือมีอะไรบ้าง', 'measures'],
  ['มาตราการ', 'measures'], // the common misspelling
  ['ขอพักหนี้ได้ไหมคะ', 'measures'],
  ['พักชำระหนี้ได้ไหมคะ', 'measures'],
  ['ปรับโครงสร้างหนี้ยังไง', 'measures'],
  ['พักหนี้ไม่พักจ่ายคืออะไรคะ', 'measures'],
  ['ลดดอกเบี้ยได้ไหม', 'measures'],
  ['สมัครมาตรการยังไง', 'measures'],
  ['ขยายเวลาชำระได้ไหม', 'measures'],
  ['รีไฟแนนได้ไหมคะ', 'measures'],
  ['มีโครงการช่วยลูกหนี้ไหม', 'measures'],
  ['มีมาตรการบรรเทาความเดือดร้อนไหมคะ', 'measures'], // the measure's own wording, not a plea

  // --- how to pay
  ['จ่ายเงินยังไงคะ', 'how_to_pay'],
  ['จ่ายที่ไหนคะ', 'how_to_pay'],
  ['ไปจ่ายได้ที่ไหนบ้าง', 'how_to_pay'],
  ['โอนเข้าบัญชีไหนคะ', 'how_to_pay'],
  ['ขอเลขบัญชีหน่อยค่ะ', 'how_to_pay'],
  ['จ่ายผ่านพร้อมเพย์ได้ไหม', 'how_to_pay'],
  ['จ่ายที่ ธ.ก.ส. ได้ไหมคะ', 'how_to_pay'],
  ['จ่ายที่เซเว่นได้มั้ย', 'how_to_pay'],
  ['สแกนจ่ายได้ไหมคะ', 'how_to_pay'],
  ['ขอqrจ่ายเงิน', 'how_to_pay'],
  ['จ่ายยังงัย', 'how_to_pay'], // ยังไง typed as it sounds
  ['pay ยังไง', 'how_to_pay'],
  ['ซิจ่ายจั่งใด๋', 'how_to_pay'], // Isan: ซิ = จะ, จั่งใด๋ = ยังไง
  ['จ่ายพันพรือ', 'how_to_pay'], // southern: พันพรือ = ยังไง

  // --- what have I paid
  ['ประวัติการจ่าย', 'payment_history'],
  ['ขอดูประวัติการชำระเงินค่ะ', 'payment_history'],
  ['จ่ายไปแล้วเท่าไหร่', 'payment_history'],
  ['จ่ายไปกี่งวดแล้วคะ', 'payment_history'],
  ['ส่งไปแล้วกี่งวด', 'payment_history'],
  ['เงินที่โอนไปเข้าหรือยังคะ', 'payment_history'],
  ['จ่ายแล้วหรือยังคะเดือนนี้', 'payment_history'],
  ['ขอใบเสร็จค่ะ', 'payment_history'],
  ['จ่ายแล้วบ่', 'payment_history'], // Isan: บ่ as the question particle

  // --- I have paid
  ['จ่ายแล้วค่ะ', 'paid_already'],
  ['โอนแล้วนะคะ', 'paid_already'],
  ['ส่งสลิปค่ะ', 'paid_already'],
  ['โอนเงินแล้วค่ะ เมื่อเช้า', 'paid_already'],
  ['โอนแล้ว ๒,๕๐๐ บาทค่ะ', 'paid_already'],
  ['โอนแล้ว 2,500 บาทค่ะ', 'paid_already'], // "แล้ว บาท" is not the Isan question "แล้วบ่"
  ['ขอบคุณครับ มีเงินจ่ายแล้ว', 'paid_already'], // "ครับ มีเงิน" is not the Isan "บ่มีเงิน"
  ['จ่ายแล้วนะคะ ทำไมยังขึ้นค้าง', 'paid_already'],
  ['ชำระเรียบร้อยแล้วค่ะ', 'paid_already'],
  ['ส่งเงินแล้วจ้า', 'paid_already'],
  ['แนบสลิปให้แล้วค่ะ', 'paid_already'],
  ['จ่ายครบแล้วค่ะ', 'paid_already'],
  ['ไปจ่ายที่ธกส.มาแล้วค่ะ', 'paid_already'],
  ['เเล้วก็โอนเเล้วค่ะ', 'paid_already'], // เเ (two sara e) for แ
  ['จ่ายแล้วเด้อ', 'paid_already'], // Isan: เด้อ = นะ
  ['โอนให้แล้วเจ้า', 'paid_already'], // northern: เจ้า = ค่ะ

  // --- court
  ['โดนฟ้องแล้วทำไงดี', 'litigation'],
  ['ได้รับหมายศาลค่ะ', 'litigation'],
  ['ถูกฟ้องร้องต้องทำยังไง', 'litigation'],
  ['จะโดนบังคับคดีไหมคะ', 'litigation'],
  ['ถ้าไม่จ่ายจะโดนฟ้องไหม', 'litigation'],
  ['มีจดหมายทวงหนี้มาที่บ้าน', 'litigation'],
  ['กลัวติดคุกค่ะ', 'litigation'],
  ['เข้าร่วมมาตรการแล้วจะไม่โดนฟ้องใช่ไหม', 'litigation'],
  ['ต้องไปขึ้นศาลวันไหน', 'litigation'],
  ['สิโดนฟ้องบ่', 'litigation'], // Isan: สิ = จะ, บ่ = ไหม

  // --- a person to talk to
  ['ขอเบอร์เจ้าหน้าที่หน่อยค่ะ', 'contact_officer'],
  ['ขอคุยกับพัฒนากรค่ะ', 'contact_officer'],
  ['เบอร์โทรพัฒนากร', 'contact_officer'],
  ['อยากปรึกษาเรื่องหนี้', 'contact_officer'],
  ['ใครดูแลตำบลนี้คะ', 'contact_officer'],
  ['ใครเป็นคนดูแลฉันคะ', 'contact_officer'],
  ['ไครดูแลตำบลนี้', 'contact_officer'], // ใ typed as ไ
  ['ขอคุยกับคนจริงๆ', 'contact_officer'],
  ['จนท.ชื่ออะไรคะ', 'contact_officer'],
  ['โทรหาเจ้าหน้าที่ไม่ติด', 'contact_officer'],
  ['ขอแหลงกับเจ้าหน้าที่', 'contact_officer'], // southern: แหลง = พูด
  ['ขอเว้ากับพัฒนากรแหน่', 'contact_officer'], // Isan: เว้า = พูด, แหน่ = หน่อย

  // --- greetings and thanks
  ['สวัสดีค่ะ', 'greeting'],
  ['สวัสดีคะ', 'greeting'],
  ['หวัดดีจ้า', 'greeting'],
  ['สวัดดีค่ะ', 'greeting'], // misspelt
  ['ดีจ้า', 'greeting'],
  ['สวัสดีวันจันทร์ค่ะ🌹', 'greeting'], // the morning card older LINE users send
  ['อรุณสวัสดิ์ค่ะ', 'greeting'],
  ['สบายดีบ่', 'greeting'], // Isan: สบายดีไหม
  ['อัสลามุอาลัยกุม', 'greeting'], // the Muslim greeting, usual in the deep south
  ['Hi', 'greeting'],
  ['hello', 'greeting'],
  ['ขอบคุณค่ะ', 'thanks'],
  ['ขอบใจจ้า', 'thanks'],
  ['ขอบคุณมากๆนะคะ🙏', 'thanks'],
  ['ขอบคุนค่ะ', 'thanks'], // ณ typed as น
  ['ขอบใจหลายๆ', 'thanks'], // Isan: หลาย = มาก
  ['ขอบคุณเจ้า', 'thanks'], // northern
  ['🙏', 'thanks'],
  ['thank you', 'thanks'],
  ['terima kasih', 'thanks'], // Malay, spoken in the deep south
  ['สวัสดีค่ะ อยากพักหนี้', 'measures'], // a greeting with a question is the question

  // --- the menu
  ['เมนู', 'menu'],
  ['menu', 'menu'],
  ['help', 'menu'],
  ['ใช้งานยังไง', 'menu'],
  ['ทำอะไรได้บ้าง', 'menu'],

  // --- stop using the bot on this LINE account (the bot asks to confirm)
  ['ยกเลิกการผูกบัญชี', 'unlink'],
  ['อยากยกเลิกการผูกบัญชีค่ะ', 'unlink'],
  ['เลิกผูกไลน์', 'unlink'],
  ['ขอยกเลิกเชื่อมต่อค่ะ', 'unlink'],
  ['ไม่ต้องแจ้งเตือนแล้วค่ะ', 'unlink'],
  ['หยุดส่งข้อความมาได้ไหม', 'unlink'],
  ['ไม่อยากให้แจ้งเตือนแล้วค่ะ', 'unlink'],
  ['ต้องส่งเอกสารอะไรเพิ่มคะ', 'my_applications'],
  ['ส่งใบรับรองแพทย์ไปแล้วนะคะ', 'my_applications'],
  ['เจ้าหน้าที่ขอเอกสารอะไรคะ', 'my_applications'],
  ['ไม่อยากให้เตือนอีกแล้ว', 'unlink'],
  ['ปิดแจ้งเตือนให้หน่อย', 'unlink'],
  ['ไม่อยากได้ข้อความแล้ว', 'unlink'],
  ['เลิกใช้แล้วค่ะ', 'unlink'],
  ['อยากยกเลิกไลน์นี้ค่ะ ไม่ใช้แล้ว', 'unlink'],
  ['ลบบัญชีของฉัน', 'unlink'],
  ['unlink', 'unlink'],

  // --- what the fund keeps about me (PDPA)
  ['ข้อมูลของฉัน', 'my_data'],
  ['ขอดูข้อมูลส่วนตัวที่เก็บไว้', 'my_data'],
  ['กองทุนเก็บข้อมูลอะไรของหนูบ้าง', 'my_data'],
  ['ขอสำเนาข้อมูลค่ะ', 'my_data'],
  ['อยากให้ลบข้อมูล', 'my_data'],
  ['pdpa', 'my_data'],

  // --- an application already sent
  ['คำขอของฉัน', 'my_applications'],
  ['คำขอถึงไหนแล้วคะ', 'my_applications'],
  ['สถานะคำขอ', 'my_applications'],
  ['สมัครไปแล้วเป็นไงบ้าง', 'my_applications'],
  ['ที่สมัครไว้อนุมัติหรือยังคะ', 'my_applications'],
  ['ผลการพิจารณาออกหรือยัง', 'my_applications'],

  // --- no link code: that comes from an officer
  ['ลืมรหัส', 'contact_officer'],
  ['ไม่มีรหัสค่ะ', 'contact_officer'],
  ['ขอรหัสได้ที่ไหน', 'contact_officer'],

  // --- nothing for us: the caller shows the menu
  ['วันนี้ฝนตก', undefined],
  ['กินข้าวหรือยัง', undefined],
  ['ok', undefined],
  ['โอเคค่ะ', undefined],
  ['รับทราบค่ะ', undefined],
  ['555', undefined],
  ['ค่ะ', undefined],
  ['👍', undefined],
  ['ไปประชุมที่ศาลากลางจังหวัด', undefined], // ศาลา (hall) is not ศาล (court)
  ['ไปไหว้ศาลเจ้า', undefined], // a shrine
  ['ลูกสาวไปพักผ่อนที่ทะเล', undefined], // พักผ่อน (rest) is not พักหนี้
  ['ช่วงพักนี้ฝนตกบ่อย', undefined], // พักนี้ = lately
  ['ยอดเยี่ยมมากค่ะ', undefined],
  ['ส่งเอกสารแล้วค่ะ', 'my_applications'], // answered with where her application stands (it was 'not understood')
  ['ไปส่งลูกที่โรงเรียน', undefined],
  ['ผมชื่อสมชาย', undefined],
  ['this is it', undefined], // "hi" inside a word is not a greeting
];

describe('borrower phrasings', () => {
  it('has a table worth the name', () => {
    expect(BORROWER_PHRASINGS.length).toBeGreaterThanOrEqual(120);
  });

  it.each(BORROWER_PHRASINGS)('%s → %s', (text, intent) => {
    expect(detectBorrowerChatIntent(text)).toBe(intent);
  });
});

describe('what today’s conversation service answers', () => {
  it.each([
    ['ช่วยด้วย ไม่มีเงินจ่าย', 'measures'], // was how_to_pay
    ['ขอเลื่อนจ่ายได้ไหมคะ', 'measures'], // was how_to_pay
    ['ขอผ่อนได้ไหม', 'measures'], // was "don't understand"
    ['ต้องจ่ายวันไหน', 'debt'], // the debt answer shows the next installment and its date
    ['ประวัติการจ่าย', 'debt'],
    ['จ่ายแล้วค่ะ', 'debt'],
    ['โดนฟ้องแล้วทำไงดี', 'contact_officer'],
    ['ขอบคุณค่ะ', 'menu'],
    ['สวัสดีค่ะ', 'menu'],
    ['วันนี้ฝนตก', undefined],
  ] as const)('%s → %s', (text, intent) => {
    expect(detectBorrowerIntent(text)).toBe(intent);
  });
});

const OFFICER_PHRASINGS: ReadonlyArray<readonly [string, OfficerMessage | undefined]> = [
  ['สรุป', { intent: 'summary' }],
  ['สรุปหน่อยครับ', { intent: 'summary' }],
  ['ขอภาพรวมพื้นที่', { intent: 'summary' }],
  ['ขอดูรายงานค่ะ', { intent: 'summary' }],
  ['ภาพรวมตำบล', { intent: 'summary' }],
  ['summary', { intent: 'summary' }],
  ['เมนู', { intent: 'menu' }],
  ['คำขอรอพิจารณา', { intent: 'pending_reviews' }],
  ['มีคำขอค้างไหม', { intent: 'pending_reviews' }],
  ['มีคำขอรออนุมัติกี่รายครับ', { intent: 'pending_reviews' }],
  ['งานของฉัน', { intent: 'my_work' }],
  ['วันนี้ต้องไปเยี่ยมใคร', { intent: 'my_work' }],
  ['งานวันนี้มีอะไรบ้าง', { intent: 'my_work' }],
  ['รายงานไตรมาส', { intent: 'reports' }],
  ['ขอรายงานไตรมาสนี้หน่อยครับ', { intent: 'reports' }],
  ['ดาวน์โหลดไฟล์ excel', { intent: 'reports' }],
  // Pages of the mini-app, not a debtor called "สลิป" (found in a trial: all of these were looked up as names).
  ['สลิป', { intent: 'slips' }],
  ['ตรวจสลิป', { intent: 'slips' }],
  ['มีสลิปรอตรวจไหมครับ', { intent: 'slips' }],
  ['รับชำระ', { intent: 'debtors' }],
  ['บันทึกเยี่ยมบ้าน', { intent: 'debtors' }],
  ['ลูกหนี้ค้างชำระ', { intent: 'overdue_debtors' }],
  ['ขอรายชื่อลูกหนี้ผิดนัดชำระหน่อยค่ะ', { intent: 'overdue_debtors' }],
  // From the province officer's trial at the quarter's end: all of these were looked up as names.
  ['ลูกหนี้แดงทั้งจังหวัด', { intent: 'overdue_debtors' }],
  ['รายชื่อลูกหนี้สีแดง', { intent: 'overdue_debtors' }],
  ['คำขอใกล้ครบกำหนด', { intent: 'pending_reviews' }],
  ['ใบสมัครพักหนี้', { intent: 'pending_reviews' }],
  ['ติดตามคำขอที่ส่งจังหวัดไป', { intent: 'pending_reviews' }],
  ['กำหนดส่งรายงานวันไหน', { intent: 'reports' }],
  ['อำเภอไหนยังไม่ส่ง', { intent: 'reports' }],
  ['พรุ่งนี้มีอะไรต้องทำบ้าง', { intent: 'my_work' }],
  // Questions with no name in them, and a name glued to a page's command (left alone at the last stop).
  ['ใครยังไม่จ่ายบ้าง', { intent: 'overdue_debtors' }],
  ['ใครค้างบ้างครับ', { intent: 'overdue_debtors' }],
  ['เดือนนี้ใครยังไม่ชำระ', { intent: 'overdue_debtors' }],
  ['บันทึกเยี่ยมบ้านมาลี', { intent: 'debtors', argument: 'มาลี' }],
  ['ขอบันทึกเยี่ยมบ้านให้มาลี ทองคำ', { intent: 'debtors', argument: 'มาลี ทองคำ' }],
  ['รับชำระ สมศรี 500', { intent: 'debtors', argument: 'สมศรี 500' }],
  ['เยี่ยมบ้านวันนี้', { intent: 'my_work' }],
  ['รับชำระวันนี้', { intent: 'debtors' }],
  // After the forum (found in its trial: a lookup of "ทั้งตำบล", the help text, "ไม่พบ").
  ['ใครยังไม่ผูกบัญชี', { intent: 'unlinked_debtors' }],
  ['รายชื่อคนที่ยังไม่ผูกบัญชี', { intent: 'unlinked_debtors' }],
  ['ใครผูกไลน์แล้วบ้าง', { intent: 'unlinked_debtors' }],
  ['ขอรหัสทั้งตำบล', { intent: 'unlinked_debtors' }],
  ['ขอรหัส สมศรี', { intent: 'issue_code', argument: 'สมศรี' }],
  ['ขอรหัสสมศรี', { intent: 'issue_code', argument: 'สมศรี' }],
  ['ขอรหัสผูกบัญชีให้ สมศรี ใจดี ด้วยครับ', { intent: 'issue_code', argument: 'สมศรี ใจดี' }],
  ['ออกรหัสให้ลูกหนี้ชื่อมาลี ทองคำ', { intent: 'issue_code', argument: 'มาลี ทองคำ' }],
  ['ขอรหัส ๖๕/๐๐๑๒', { intent: 'issue_code', argument: '65/0012' }],
  ['ขอรหัสคุณากร ศรีสุข', { intent: 'issue_code', argument: 'คุณากร ศรีสุข' }], // คุณ… is part of the name
  ['ขอรหัสหน่อยครับ', { intent: 'issue_code' }],
  ['ค้นหา', { intent: 'help_lookup' }],
  ['ค้นหา สมศรี', { intent: 'help_lookup', argument: 'สมศรี' }],
  ['สวัสดีครับ', { intent: 'greeting' }],
  ['ขอบคุณค่ะ🙏', { intent: 'thanks' }],
  ['ยกเลิกการผูกบัญชี', { intent: 'unlink' }],
  ['ขอยกเลิกผูกบัญชีครับ', { intent: 'unlink' }],
  // lookups and free text: the caller decides
  ['มาลี ทองคำ', undefined],
  ['สมศรี', undefined],
  ['หาญณรงค์ ใจกล้า', undefined], // starts with หา, but is a name
  ['นางสาวขวัญใจ ดีมาก', undefined],
  ['65/0012', undefined],
  ['สรุปผลการเยี่ยมบ้านนางมาลี', undefined],
  ['รายได้ไม่พอชำระหนี้', undefined],
  ['วันเพ็ญ สายทอง', undefined], // starts with วัน, a word that may sit in a command
  ['มาก', undefined],
];

describe('officer phrasings', () => {
  it.each(OFFICER_PHRASINGS)('%s → %o', (text, message) => {
    expect(parseOfficerMessage(text)).toEqual(message);
  });

  it('tells commands from free text', () => {
    expect(isOfficerCommand('สรุป')).toBe(true);
    expect(isOfficerCommand('เมนูครับ')).toBe(true);
    expect(isOfficerCommand('ขอรหัส สมศรี')).toBe(true);
    expect(isOfficerCommand('สวัสดีครับ')).toBe(false);
    expect(isOfficerCommand('รายได้ไม่พอชำระหนี้ ค้างหลายงวด')).toBe(false);
    expect(isOfficerCommand('มาลี ทองคำ')).toBe(false);
  });

  it('gives today’s conversation service only what it answers', () => {
    expect(detectOfficerIntent('คำขอรอพิจารณา')).toBe('menu');
    expect(detectOfficerIntent('ขอบคุณครับ')).toBe('menu');
    expect(detectOfficerIntent('ค้นหา สมศรี')).toBe('help_lookup');
    expect(detectOfficerIntent('มาลี ทองคำ')).toBeUndefined();
  });
});
