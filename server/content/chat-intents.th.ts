// The words that tell us what a borrower or an officer wants, with their weights. Pure data: the matcher is
// server/domain/chat-intent.ts. Reviewable by the fund's staff: add a phrase people really type, give it a
// weight, and add the phrase to test/unit/chat-intent-phrasings.test.ts.
//
// How phrases are read:
// - Thai phrases match anywhere in the message, spaces ignored, tone marks ignored ("ยอดหนี" = "ยอดหนี้",
//   "ไมมีเงิน" = "ไม่มีเงิน"), ณ read as น, ใ as ไ. So list each word once, as it is spelled; list a misspelling
//   only when it differs in more than tone marks (มาตราการ, เท่าไหล่, สวัดดี).
// - A phrase inside a longer listed phrase does not count: "ไม่มีเงินจ่าย" (distress) hides "จ่าย" (how to
//   pay). That is how negation is handled, and why `neutral` lists words such as "ศาลา" (village hall): they
//   hide the keyword "ศาล" (court) inside them and mean nothing themselves.
// - ASCII phrases match whole words ("hi" is not in "this"); anything else (an emoji) matches anywhere.
// - Each phrase counts once. An intent needs `minScore`; the highest tier wins, then the highest score,
//   then the intent listed first.
// - Thai phrases for borrowers are at least three letters long once tone marks are dropped; shorter ones
//   ("บ่", "ดู") are found inside too many unrelated words. A test checks this.
import { createChatIntents, type BorrowerChatIntent, type IntentVocabulary, type OfficerArgumentGrammar, type OfficerChatIntent } from '../domain/chat-intent.ts';

/** ส่ง (send) is how many borrowers say "pay an installment": ส่งงวด, ส่งเงิน. */
const PAY_VERBS = ['จ่าย', 'ส่ง', 'ชำระ', 'โอน'] as const;

function forEachPayVerb(forms: Record<string, number>): Record<string, number> {
  const phrases: Record<string, number> = {};
  for (const verb of PAY_VERBS) for (const [form, weight] of Object.entries(forms)) phrases[form.replace('~', verb)] = weight;
  return phrases;
}

export const BORROWER_INTENT_VOCABULARY: IntentVocabulary<BorrowerChatIntent> = {
  minScore: 2,
  intents: {
    // Said plainly and rarely by accident; the bot asks to confirm before anything is undone.
    unlink: {
      tier: 5,
      phrases: {
        ยกเลิกการผูก: 6, ยกเลิกผูก: 6, เลิกผูก: 6, ถอนการผูก: 6, ยกเลิกการเชื่อม: 6, ยกเลิกเชื่อม: 6, ยกเลิกบัญชี: 5,
        ลบบัญชี: 5, ไม่ใช้บริการ: 5, เลิกใช้บริการ: 5, ไม่ต้องแจ้งเตือน: 5, ไม่ต้องเตือน: 5, เลิกแจ้งเตือน: 5,
        หยุดแจ้งเตือน: 5, หยุดส่งข้อความ: 5, ไม่อยากได้รับข้อความ: 5, ไม่อยากให้แจ้งเตือน: 5, ไม่อยากให้เตือน: 5,
        ไม่อยากได้รับแจ้งเตือน: 5, ปิดแจ้งเตือน: 5, ปิดการแจ้งเตือน: 5, ยกเลิกการแจ้งเตือน: 5, ยกเลิกแจ้งเตือน: 5,
        ไม่อยากได้ข้อความ: 5, เลิกใช้: 5, ไม่ใช้แล้ว: 5, ยกเลิกไลน์: 5, ยกเลิกline: 5,
        unlink: 6,
      },
    },
    my_data: {
      tier: 3,
      phrases: {
        ข้อมูลของฉัน: 6, ข้อมูลของหนู: 6, ข้อมูลของดิฉัน: 6, ข้อมูลส่วนตัว: 5, ข้อมูลส่วนบุคคล: 6, สำเนาข้อมูล: 6,
        ขอดูข้อมูล: 4, ขอข้อมูล: 3, เก็บข้อมูล: 4, ลบข้อมูล: 5, pdpa: 6,
      },
    },
    // Above measures and debt: "สถานะคำขอ", "สมัครไปแล้วถึงไหน" ask about an application already sent.
    my_applications: {
      tier: 4,
      phrases: {
        คำขอของฉัน: 7, คำขอของหนู: 7, สถานะคำขอ: 7, คำขอถึงไหน: 7, คำขอที่ส่ง: 6, คำขอเป็นไง: 6, ผลคำขอ: 6,
        ใบสมัคร: 4, ที่สมัครไว้: 6, สมัครไว้: 5, สมัครไปแล้ว: 6, สมัครแล้ว: 5, ผลการสมัคร: 6, ผลการพิจารณา: 6,
        อนุมัติหรือยัง: 6, อนุมัติยัง: 6, ได้รับอนุมัติ: 5, ถึงไหนแล้ว: 3,
        // The documents an officer asked for: "ต้องส่งเอกสารอะไรเพิ่ม", "ส่งใบรับรองแพทย์ไปแล้วนะคะ".
        เอกสาร: 5, ส่งเอกสาร: 7, เอกสารเพิ่ม: 7, ขอเอกสาร: 7, แนบเอกสาร: 7, ใบรับรองแพทย์: 6, ใบรับรอง: 5, สำเนาทะเบียนบ้าน: 6,
      },
    },
    litigation: {
      tier: 4,
      phrases: {
        ฟ้อง: 4, โดนฟ้อง: 6, ถูกฟ้อง: 6, ฟ้องร้อง: 6, ฟ้องศาล: 6, ศาล: 4, หมายศาล: 6, ขึ้นศาล: 6, ไปศาล: 5,
        คดี: 4, ดำเนินคดี: 6, บังคับคดี: 6, สู้คดี: 6, ทนาย: 4, หมายเรียก: 5, อายัด: 5, ยึดทรัพย์: 5, ยึดบ้าน: 5,
        ยึดที่: 5, ติดคุก: 4, เข้าคุก: 4, ตำรวจ: 3, หนังสือทวง: 4, จดหมายทวง: 4, ทวงหนี้: 3,
        court: 4, lawsuit: 4,
      },
    },
    distress: {
      tier: 4,
      phrases: {
        // no money
        ไม่มีเงิน: 5, ไม่มีตังค์: 5, ไม่มีตัง: 5, ไม่มีสตางค์: 5, ไม่มีจ่าย: 5, ไม่มีส่ง: 5, ไม่ค่อยมีเงิน: 5,
        เงินไม่มี: 5, ตังค์ไม่มี: 5, ตังไม่มี: 5, เงินไม่พอ: 5, ไม่พอจ่าย: 5, ไม่พอส่ง: 5, ไม่มีกิน: 5, ไม่มีจะกิน: 5,
        หมดตัว: 5, หนี้ท่วม: 5, หนี้นอกระบบ: 4,
        // cannot pay
        ไม่ไหว: 4, จ่ายไม่ไหว: 6, ส่งไม่ไหว: 6, ผ่อนไม่ไหว: 6, จ่ายไม่ได้: 6, ส่งไม่ได้: 5, จ่ายไม่ทัน: 5, ส่งไม่ทัน: 5,
        // asking for time or less
        ขอเลื่อน: 6, เลื่อน: 3, เลื่อนจ่าย: 5, เลื่อนส่ง: 5, เลื่อนงวด: 5, ขอผ่อน: 5, ผ่อนได้: 4, ผ่อนผัน: 5,
        ขอลด: 4, ลดได้: 3, ขอจ่ายน้อย: 5, จ่ายน้อยลง: 4, แบ่งจ่าย: 4, ขอจ่ายครึ่ง: 4,
        // what happened
        ช่วยด้วย: 3, เดือดร้อน: 4, ลำบาก: 4, ตกงาน: 5, ไม่มีงาน: 5, เลิกจ้าง: 5, ไม่มีรายได้: 5, รายได้ไม่พอ: 5,
        รายได้น้อย: 4, ขาดรายได้: 5, ขาดทุน: 4, ขายไม่ได้: 4, ขายของไม่ได้: 5, ขายไม่ดี: 4, ยอดขายตก: 5,
        ราคาตก: 3, ราคายาง: 3, ยางราคา: 3, พืชผลเสียหาย: 4, ผลผลิตเสียหาย: 4, ภัยแล้ง: 4, น้ำท่วม: 5, ท่วม: 3,
        ไฟไหม้: 5, พายุ: 4, ป่วย: 4, เจ็บป่วย: 5, ไม่สบาย: 4, ไม่ค่อยสบาย: 4, โรงพยาบาล: 4, ผ่าตัด: 4, มะเร็ง: 4,
        อุบัติเหตุ: 4, รถชน: 4, พิการ: 4, เสียชีวิต: 5, สามีเสีย: 5, ผัวตาย: 5, เครียด: 4, ท้อแท้: 4, ท้อใจ: 4,
        หมดหวัง: 4, ทุกข์ใจ: 4, เป็นทุกข์: 4,
        // Isan and northern: บ่ = ไม่ (not), สตางค์ for money
        บ่มีเงิน: 5, บ่มีตังค์: 5, บ่มีตัง: 5, บ่มีสตางค์: 5, เงินบ่มี: 5, ตังค์บ่มี: 5, บ่มีจ่าย: 5, บ่มีส่ง: 5,
        บ่ไหว: 4, จ่ายบ่ไหว: 6, ส่งบ่ไหว: 6, จ่ายบ่ได้: 6, ส่งบ่ได้: 5, ส่งบ่ทัน: 5, จ่ายบ่ทัน: 5,
      },
    },
    // A message saying a payment was made is about that payment, whatever else it mentions ("ไปจ่ายที่ ธกส. มาแล้ว").
    paid_already: {
      tier: 3,
      phrases: {
        ...forEachPayVerb({ '~แล้ว': 5, '~ไปแล้ว': 5, '~เงินแล้ว': 5, '~ให้แล้ว': 5, '~มาแล้ว': 5, '~เรียบร้อย': 5, '~ครบแล้ว': 5, '~เมื่อวาน': 4 }),
        ส่งงวดแล้ว: 5, ส่งค่างวดแล้ว: 5, สลิป: 4, ส่งสลิป: 5, แนบสลิป: 5, หลักฐานการโอน: 5, หลักฐานการจ่าย: 5,
        // "ไปจ่าย … มาแล้ว": went to pay, and came back
        ไปจ่าย: 1.5, ไปชำระ: 1.5, ไปโอน: 1.5, มาแล้ว: 1.5,
        slip: 4, paid: 4,
      },
    },
    payment_history: {
      tier: 3,
      phrases: {
        ประวัติ: 4, ประวัติการจ่าย: 6, ประวัติการชำระ: 6, ประวัติการโอน: 6, รายการจ่าย: 5, รายการชำระ: 5,
        ยอดที่จ่าย: 5, ยอดที่ชำระ: 5, ที่จ่ายไป: 4, ใบเสร็จ: 4,
        ...forEachPayVerb({
          '~ไปแล้วเท่าไหร่': 6, '~แล้วเท่าไหร่': 6, '~ไปเท่าไหร่': 5, '~ไปแล้วกี่งวด': 6, '~แล้วกี่งวด': 6, '~ไปกี่งวด': 6,
          '~แล้วหรือยัง': 6, '~แล้วยัง': 6, '~หรือยัง': 5, '~รึยัง': 5, '~แล้วบ่': 5,
        }),
        เงินเข้าหรือยัง: 6, เงินเข้ายัง: 6, เข้าหรือยัง: 5, ได้รับเงินหรือยัง: 6, ได้รับหรือยัง: 5,
        statement: 4, history: 4,
      },
    },
    next_payment: {
      tier: 2,
      phrases: {
        งวดหน้า: 5, งวดถัดไป: 5, งวดต่อไป: 5, งวดนี้: 4, ต้องจ่าย: 3, ต้องส่ง: 3, ต้องชำระ: 3, ครบกำหนด: 4, ถึงกำหนด: 4,
        กำหนดจ่าย: 4, กำหนดส่ง: 4, กำหนดชำระ: 4, วันไหน: 3, วันที่เท่าไหร่: 4, วันที่เท่าไร: 4, เมื่อไหร่: 2,
        เมื่อไร: 2, ตอนไหน: 2, ค่างวด: 4, งวดละ: 4, เดือนละ: 1.5, ปีละ: 1.5, งวด: 2, จ่ายงวด: 3, ดิว: 3, due: 3,
        เท่าไหร่: 1, เท่าไร: 1, กี่บาท: 1,
        // Isan: มื้อใด๋ = วันไหน (which day)
        มื้อใด๋: 3, มื้อไหน: 3,
      },
    },
    debt: {
      tier: 2,
      phrases: {
        หนี้: 2, ยอดหนี้: 5, หนี้สิน: 3, ยอด: 2, ยอดค้าง: 5, ค้าง: 3, ค้างชำระ: 4, ค้างจ่าย: 4, ค้างส่ง: 4, ติดหนี้: 3,
        ติดอยู่: 2, เงินกู้: 2, เหลือ: 2, คงเหลือ: 3, เหลืออีก: 3, เช็คยอด: 5, เช็กยอด: 5, ดูยอด: 4, เบิ่งยอด: 4,
        สถานะ: 2, ตรวจสอบ: 1, สัญญา: 1, กี่งวด: 3, ดอกเบี้ย: 2, เงินต้น: 2, ผิดนัด: 3,
        // overdue is about the debt, not the next due date
        เกินกำหนด: 5, เกินกำหนดชำระ: 5,
        เท่าไหร่: 1, เท่าไร: 1, เท่าไหล่: 1, เท่าใด: 1, กี่บาท: 1,
        // Isan ท่อใด๋ / จั๊ก…, northern เต้าใด = เท่าไหร่ (how much); Isan เบิ่ง = ดู (look)
        ท่อใด๋: 1, จั๊กบาท: 1, เต้าใด: 1,
        debt: 3, balance: 3, check: 1,
      },
    },
    measures: {
      tier: 2,
      phrases: {
        มาตรการ: 5, มาตราการ: 5, พักหนี้: 5, พักหนี้ไม่พักจ่าย: 7, พักชำระ: 5, พักต้น: 4, พักดอก: 4, พักเงินต้น: 5,
        จ่ายแต่ดอก: 4, ปรับโครงสร้าง: 5, โครงสร้างหนี้: 5, ลดดอกเบี้ย: 5, ลดดอก: 4, ขยายเวลา: 5, ขยายระยะเวลา: 5,
        ขยายงวด: 5, ยืดเวลา: 4, รีไฟแนนซ์: 5, รีไฟแนน: 5, รวมหนี้: 5, เบี้ยปรับ: 4, ดอกเบี้ยผิดนัด: 4, ผ่อนปรน: 4,
        ช่วยเหลือ: 2, ความช่วยเหลือ: 3, บรรเทา: 3, บรรเทาความเดือดร้อน: 5, เข้าร่วม: 2, สมัคร: 2, สิทธิ: 2, ช่วยอะไรได้บ้าง: 3,
        ช่วยลูกหนี้: 4, โครงการช่วย: 3, ลดการดำเนินคดี: 6, ออมเพื่อปลดหนี้: 5, ปลดหนี้: 4, พัก: 3, ขยาย: 3,
      },
    },
    how_to_pay: {
      tier: 2,
      phrases: {
        จ่าย: 2, ชำระ: 2, ไปจ่าย: 2, ไปชำระ: 2, ไปโอน: 3, จ่ายเงิน: 3, ชำระเงิน: 3, โอน: 3, โอนเงิน: 4, ส่งเงิน: 3, ส่งงวด: 3, คืนเงิน: 2,
        ช่องทาง: 2, ช่องทางชำระ: 5, วิธีจ่าย: 5, วิธีชำระ: 5, วิธีโอน: 5, จ่ายยังไง: 5, จ่ายที่ไหน: 5, จ่ายทางไหน: 5, ชำระที่ไหน: 5,
        โอนเข้า: 4, เข้าบัญชี: 3, บัญชี: 2, เลขบัญชี: 5, ธนาคาร: 3, ธกส: 4, ออมสิน: 3, กรุงไทย: 3, พร้อมเพย์: 5,
        สแกน: 3, คิวอาร์: 4, เซเว่น: 3, เคาน์เตอร์: 3,
        ยังไง: 1.5, ยังงัย: 1.5, อย่างไร: 1.5, ทำไง: 1, ที่ไหน: 1.5,
        // Isan จั่งใด๋ / จังได๋, southern พรือ (พันพรือ) = ยังไง (how)
        จั่งใด๋: 1.5, พรือ: 1.5,
        pay: 3, qr: 4, '7-11': 3,
      },
    },
    contact_officer: {
      tier: 2,
      phrases: {
        ติดต่อ: 4, เจ้าหน้าที่: 4, จนท: 4, พัฒนากร: 5, พัฒนาชุมชน: 3, สำนักงาน: 2, เบอร์: 3, เบอร์โทร: 5, ขอเบอร์: 5,
        โทร: 3, โทรหา: 4, คุย: 2, คุยกับ: 3, ขอคุย: 4, อยากคุย: 4, ปรึกษา: 4, พี่เลี้ยง: 4, ใครดูแล: 4, ผู้ดูแล: 3,
        คนดูแล: 4, ดูแลฉัน: 4, ดูแลหนู: 4, ดูแลเรา: 4,
        คนจริง: 4, แอดมิน: 4,
        // The link code comes from an officer: asking for one is asking for her.
        ลืมรหัส: 5, ไม่มีรหัส: 5, ไม่ได้รหัส: 5, รหัสหาย: 5, ขอรหัส: 5, รหัสอยู่ไหน: 5, เอารหัส: 4,
        // southern แหลง, Isan เว้า = พูด (speak)
        แหลงกับ: 3, เว้ากับ: 3,
        admin: 4, officer: 3, staff: 3,
      },
    },
    thanks: {
      tier: 1,
      phrases: {
        ขอบคุณ: 4, ขอบใจ: 4, ขอบพระคุณ: 4,
        thank: 4, thanks: 4, thx: 4, 'terima kasih': 4, // Malay, used in the deep south
        '🙏': 2,
      },
    },
    greeting: {
      tier: 1,
      phrases: {
        สวัสดี: 4, หวัดดี: 4, สวัดดี: 4, อรุณสวัสดิ์: 4, ดีจ้า: 3, ดีค่ะ: 3, ดีครับ: 3, ดีค้าบ: 3, สบายดีไหม: 4,
        // Isan ซำบายดีบ่ / สบายดีบ่, southern สบายดีหม้าย = สบายดีไหม
        สบายดีบ่: 4, ซำบายดีบ่: 4, สบายดีหม้าย: 4,
        // the Muslim greeting, usual in the deep south, in the spellings people use
        อัสลามุอาลัยกุม: 4, อัสลามุอะลัยกุม: 4, อัสสลามุอลัยกุม: 4, อัสลามูอาลัยกุม: 4, salam: 4, assalamualaikum: 4,
        hello: 4, hi: 3,
      },
    },
    menu: {
      tier: 0,
      phrases: {
        เมนู: 4, เริ่มต้น: 3, เริ่มใหม่: 3, วิธีใช้: 4, ใช้งาน: 2, ใช้ยังไง: 3, ทำอะไรได้บ้าง: 4,
        menu: 4, help: 4, start: 4,
      },
    },
  },
  neutral: [
    'ศาลา', 'ศาลเจ้า', 'ศาลพระภูมิ', 'ศาลตายาย', // halls and shrines, not courts
    'พักผ่อน', 'ที่พัก', 'พักนี้', 'พักอยู่', 'พักร้อน', // rest, lodging, "lately"
    'ค่าใช้จ่าย', 'รายจ่าย', 'เบิกจ่าย', 'จ่ายตลาด', 'แจกจ่าย', // spending, not paying the fund
    'ยอดขาย', 'ยอดเยี่ยม', 'ต่อยอด', 'เหลือเชื่อ', 'ค้างคืน', 'ค้างคาว',
  ],
};

export const OFFICER_INTENT_VOCABULARY: IntentVocabulary<OfficerChatIntent> = {
  minScore: 2,
  intents: {
    unlink: { tier: 3, phrases: { ยกเลิกการผูกบัญชี: 6, ยกเลิกผูกบัญชี: 6, ยกเลิกการผูก: 6, ยกเลิกผูก: 6, เลิกผูก: 6, ยกเลิกการเชื่อม: 6, unlink: 6 } },
    issue_code: { tier: 2, phrases: { รหัส: 5, รหัสผูกบัญชี: 6, ออกรหัส: 6, สร้างรหัส: 6, โค้ด: 5, ผูกบัญชี: 4, code: 5 } },
    pending_reviews: {
      tier: 2,
      phrases: {
        คำขอ: 4, คำขอรอพิจารณา: 6, รอพิจารณา: 5, พิจารณา: 3, รออนุมัติ: 5, อนุมัติ: 3, คำร้อง: 4, ใบสมัคร: 4,
        รอตรวจ: 4, คำขอค้าง: 6, pending: 5, review: 4,
      },
    },
    my_work: {
      tier: 2,
      phrases: {
        งาน: 3, งานของฉัน: 6, งานของผม: 6, งานของดิฉัน: 6, งานวันนี้: 5, งานที่ต้องทำ: 5, ตารางงาน: 5, งานค้าง: 5,
        เยี่ยม: 4, เยี่ยมบ้าน: 5, เยี่ยมใคร: 5, ตามใคร: 5, ติดตามใคร: 5, ต้องตาม: 4, นัด: 3, ลงพื้นที่: 4,
        ต้องทำ: 5, ทำอะไร: 4, todo: 5,
      },
    },
    // Slips and the debtor list are pages of the mini-app: "ตรวจสลิป", "รับชำระ", "บันทึกเยี่ยมบ้าน" open them
    // instead of being looked up as a debtor's name.
    slips: { tier: 3, phrases: { สลิป: 6, ตรวจสลิป: 7, สลิปโอน: 7, สลิปโอนเงิน: 7, สลิปรอตรวจ: 7, slip: 6 } },
    // After the forum: "ใครยังไม่ผูกบัญชี", "ใครผูกไลน์แล้วบ้าง", "ขอรหัสทั้งตำบล" (the tambon's slips are on that page).
    unlinked_debtors: {
      tier: 4,
      phrases: {
        ยังไม่ผูกบัญชี: 9, ไม่ได้ผูกบัญชี: 9, ยังไม่ผูก: 8, ยังไม่ได้ผูก: 8, ผูกไลน์: 8, ผูกline: 8, ผูกบัญชีแล้ว: 8, ผูกแล้ว: 7,
        ยังไม่มีไลน์: 8, ไม่มีไลน์: 7, รหัสทั้งตำบล: 9, ชุดรหัส: 9, ใบรหัส: 9, พิมพ์รหัส: 9,
      },
    },
    debtors: {
      tier: 3,
      phrases: {
        รับชำระ: 6, รับเงิน: 5, บันทึกรับชำระ: 7, บันทึกการชำระ: 7, บันทึกชำระ: 7, ลงรับชำระ: 7,
        รายชื่อลูกหนี้: 7, รายชื่อ: 5, บันทึกการติดตาม: 7, บันทึกติดตาม: 7, บันทึกเยี่ยม: 7, บันทึกเยี่ยมบ้าน: 7, ลงบันทึก: 5,
      },
    },
    // The red list by its colour too: "ลูกหนี้แดง", "ลูกหนี้สีแดงทั้งจังหวัด", "ค้างเกิน 90 วัน"; and asked as a
    // question with no name in it: "ใครยังไม่จ่ายบ้าง", "ใครค้างบ้าง".
    overdue_debtors: {
      tier: 3,
      phrases: {
        ค้างชำระ: 8, ค้างจ่าย: 8, ผิดนัด: 8, ผิดนัดชำระ: 8, ลูกหนี้ค้าง: 8, หนี้ค้าง: 7, แดง: 7, สีแดง: 8, ลูกหนี้แดง: 8, ค้างนาน: 7, ค้างเกิน: 7,
        ยังไม่จ่าย: 8, ยังไม่ชำระ: 8, ไม่ได้จ่าย: 7, ไม่ได้ชำระ: 7, ไม่จ่าย: 7, ไม่ชำระ: 7, ใครค้าง: 7,
      },
    },
    summary: {
      tier: 2,
      phrases: {
        สรุป: 5, ภาพรวม: 5, รายงาน: 4, สถิติ: 4, ยอดรวม: 4, หนี้เกินกำหนด: 4, ร้อยละ: 3, แดชบอร์ด: 4,
        summary: 5, report: 4, dashboard: 4,
      },
    },
    // The quarter's reports and their files live in the mini-app ("รายงาน" alone is the summary in chat).
    reports: {
      tier: 2,
      phrases: {
        รายงานไตรมาส: 6, ไตรมาส: 5, รายไตรมาส: 6, รายงานผล: 5, ส่งรายงาน: 6, ออกรายงาน: 6, ไฟล์รายงาน: 6, โหลดรายงาน: 6,
        รายงานประจำเดือน: 6, รายเดือน: 4, ดาวน์โหลด: 4, excel: 5, เอ็กเซล: 5, xlsx: 5, ยังไม่ส่ง: 5,
      },
    },
    help_lookup: { tier: 2, phrases: { ค้นหา: 5, หา: 4, หาลูกหนี้: 5, ค้นหาลูกหนี้: 5, search: 5 } },
    menu: { tier: 2, phrases: { เมนู: 5, วิธีใช้: 4, คำสั่ง: 4, ใช้งาน: 3, ทำอะไรได้บ้าง: 4, menu: 5, help: 5, start: 4 } },
    thanks: { tier: 1, phrases: { ขอบคุณ: 4, ขอบใจ: 4, ขอบพระคุณ: 4, thank: 4, thanks: 4, thx: 4, '🙏': 2 } },
    greeting: { tier: 1, phrases: { สวัสดี: 4, หวัดดี: 4, อรุณสวัสดิ์: 4, ดีครับ: 3, ดีค่ะ: 3, hello: 4, hi: 3 } },
  },
  // An officer's message is a command only when every word of it is a command word or one of these;
  // anything else ("มาลี ทองคำ", "สรุปผลการเยี่ยมบ้านนางมาลี") is a lookup, left to the caller.
  neutral: [
    'ขอ', 'ขอดู', 'ดู', 'ช่วย', 'รบกวน', 'อยาก', 'อยากได้', 'ได้', 'หน่อย', 'ด้วย', 'ที', 'ให้', 'ของ', 'ใน', 'ที่',
    'ครับ', 'ครับผม', 'ค่ะ', 'คะ', 'ค่า', 'คับ', 'ค้าบ', 'นะ', 'จ้า', 'จ้ะ', 'เลย', 'ผม', 'ฉัน', 'ดิฉัน', 'หนู', 'พี่',
    'มี', 'ไหม', 'มั้ย', 'ไม๊', 'บ้าง', 'อะไร', 'ใคร', 'กี่', 'ราย', 'รายการ', 'คน', 'อยู่', 'ต้อง', 'ไป', 'แล้ว',
    'ยัง', 'หรือยัง', 'ไหน', 'เท่าไหร่', 'ล่าสุด', 'ค้าง', 'รอ', 'เรื่อง', 'ทั้งหมด', 'ทั้ง', 'วันนี้', 'พรุ่งนี้',
    'เดือนนี้', 'ปีนี้', 'นี้', 'ไฟล์', 'พื้นที่', 'ลูกหนี้', 'ตำบล', 'อำเภอ', 'จังหวัด', 'please', 'pls',
    'สี', 'เกิน', 'วัน', 'บัญชี', 'ไลน์', 'line', 'ทั้ง', 'เยอะ', 'สุด', 'ที่สุด', 'มาก', 'ใกล้', 'ครบกำหนด', 'กำหนด', 'ส่ง', 'ไม่', 'ทำ', 'มาตรการ', 'พักหนี้', 'ติดตาม', 'ถึง',
  ],
};

// "ค่ะ", "โอเคค่ะ", "รับทราบครับ", "👍": a reply that only acknowledges (after a reminder, an answer). Nothing to do,
// but "ขออภัย ยังไม่เข้าใจ" would be the wrong thing to say to it.
const ACKNOWLEDGEMENT = /^(?:ค่ะ|คะ|ค่า|ครับ|ครับผม|คับ|ค้าบ|จ้า|จ้ะ|จ๊ะ|นะ|นะคะ|โอเค|โอเคร|โอเช|ok|okay|รับทราบ|ทราบแล้ว|เข้าใจแล้ว|ได้|ได้เลย|ตกลง|👍|👌|🙏|[.!~ๆ]|\s)+$/iu;

/** Whether a message only acknowledges: particles, okay, understood, a thumbs-up. */
export function isAcknowledgement(message: string): boolean {
  return message.length <= 40 && ACKNOWLEDGEMENT.test(message.trim());
}

/**
 * Titles people put before a name ("ขอรหัสให้คุณสมศรี", "ป้ามาลี", "ยายเรไร" as officers call the older women they
 * know); registry names are stored without them. Tried only when the name as typed finds no one.
 */
export const NAME_TITLES = ['นางสาว', 'น.ส.', 'นาง', 'คุณ', 'ป้า', 'ยาย', 'น้า', 'แม่', 'พี่'] as const;

/**
 * Officer commands that carry a name or contract number: "ขอรหัส สมศรี", "ค้นหา 65/0012". The trigger
 * comes first, after optional leading words; connectors between trigger and argument are dropped, and
 * so are polite endings after it.
 */
export const OFFICER_ARGUMENT_GRAMMAR: OfficerArgumentGrammar<OfficerChatIntent> = {
  triggers: {
    issue_code: ['รหัส', 'รหัสผูกบัญชี', 'ออกรหัส', 'สร้างรหัส', 'ขอรหัส', 'โค้ด'],
    help_lookup: ['ค้นหา', 'หา', 'หาลูกหนี้', 'ค้นหาลูกหนี้', 'ค้น'],
    // "บันทึกเยี่ยมบ้านมาลี", "รับชำระ สมศรี 500": the page's command with a name glued on finds her card, whose
    // buttons record the visit or the payment. Not "เยี่ยมบ้าน" alone: "เยี่ยมบ้านวันนี้" asks for the day's work.
    debtors: [
      'บันทึกเยี่ยมบ้าน', 'บันทึกเยี่ยม', 'บันทึกการเยี่ยมบ้าน', 'บันทึกการติดตาม', 'บันทึกติดตาม', 'ลงบันทึก',
      'รับชำระ', 'บันทึกรับชำระ', 'บันทึกการชำระ', 'บันทึกชำระ', 'ลงรับชำระ',
    ],
  },
  leading: ['ขอ', 'ช่วย', 'รบกวน', 'อยากได้', 'พี่'],
  connectors: ['ผูกบัญชี', 'ให้', 'ของ', 'สำหรับ', 'ลูกหนี้', 'คุณ', 'ชื่อ', 'หน่อย', 'ด้วย', 'เลขที่สัญญา', 'เลขสัญญา', 'สัญญาเลขที่'],
  // "หาญ…", "คุณากร", "ค้นธรรม": names may start with these letters, so they only count before a space.
  needsSpaceAfter: ['หา', 'ค้น', 'คุณ'],
  trailing: ['ครับผม', 'ครับ', 'ค่ะ', 'ค่า', 'คับ', 'ค้าบ', 'จ้า', 'หน่อย', 'ด้วย', 'นะครับ', 'นะคะ'],
  // Names end in these ("ชัยชนะ"), so they are dropped only after a space.
  trailingAfterSpace: ['นะ', 'คะ', 'จ้ะ', 'ที', 'เลย'],
};

/** The chat's Thai, compiled once: what services ask of a message. */
export const { detectBorrowerChatIntent, parseOfficerMessage, detectBorrowerIntent, detectOfficerChatIntent, detectOfficerIntent, isOfficerCommand } = createChatIntents({
  borrower: BORROWER_INTENT_VOCABULARY,
  officer: OFFICER_INTENT_VOCABULARY,
  officerGrammar: OFFICER_ARGUMENT_GRAMMAR,
});
