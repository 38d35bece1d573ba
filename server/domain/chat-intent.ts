// Understanding what a person typed: Thai has no spaces, so we segment words with Intl.Segmenter
// and match keywords against single words and runs of up to three words ("ยอด"+"หนี้" = "ยอดหนี้").

export type BorrowerIntent = 'debt' | 'measures' | 'how_to_pay' | 'contact_officer' | 'menu';
export type OfficerIntent = 'summary' | 'menu' | 'help_lookup';

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/** Lower-cased words of the text, Thai segmented, punctuation and spaces dropped. */
export function thaiWords(text: string): string[] {
  const words: string[] = [];
  for (const part of segmenter.segment(text.normalize('NFC').toLowerCase())) {
    if (part.isWordLike) words.push(part.segment);
  }
  return words;
}

/** Every run of one to three adjacent words, joined: the vocabulary we match keywords against. */
function wordRuns(words: readonly string[]): Set<string> {
  const runs = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(words.length, i + 3); j++) {
      joined += words[j];
      runs.add(joined);
    }
  }
  return runs;
}

type KeywordWeights = Record<string, number>;

const BORROWER_KEYWORDS: Record<Exclude<BorrowerIntent, 'menu'>, KeywordWeights> = {
  debt: {
    หนี้: 2, ยอดหนี้: 3, ยอด: 2, ค้าง: 3, ค้างชำระ: 3, เงินกู้: 2, สัญญา: 1, งวด: 2, เท่าไหร่: 2, เท่าไร: 2,
    เหลือ: 1, คงเหลือ: 2, ครบกำหนด: 2, กำหนด: 1, ดู: 0.5, ตรวจสอบ: 1, สถานะ: 2, debt: 3,
  },
  measures: {
    มาตรการ: 4, พัก: 3, พักหนี้: 4, พักหนี้ไม่พักจ่าย: 6, ปรับโครงสร้าง: 4, โครงสร้าง: 3, ช่วยเหลือ: 2, บรรเทา: 2,
    ลดดอกเบี้ย: 4, ขยาย: 3, ขยายเวลา: 4, ผ่อนปรน: 3, รีไฟแนนซ์: 4, รวมหนี้: 4, เบี้ยปรับ: 3, สมัคร: 2, เข้าร่วม: 2,
    ลด: 1, ไม่ไหว: 2, เดือดร้อน: 2, คดี: 2,
  },
  how_to_pay: {
    จ่าย: 2, ชำระ: 2, จ่ายเงิน: 3, ชำระเงิน: 3, โอน: 3, โอนเงิน: 4, ช่องทาง: 3, วิธี: 2, ยังไง: 1.5, อย่างไร: 1.5,
    ที่ไหน: 1.5, บัญชี: 2, เลขบัญชี: 4, ธนาคาร: 3, พร้อมเพย์: 4, ส่งเงิน: 3, คืนเงิน: 2,
  },
  contact_officer: {
    ติดต่อ: 4, เจ้าหน้าที่: 4, พัฒนากร: 5, เบอร์: 3, โทร: 3, เบอร์โทร: 4, คุย: 2, ปรึกษา: 3, ถาม: 1, พี่เลี้ยง: 4,
    ช่วย: 0.5, คน: 0.5, officer: 3,
  },
};

const MENU_WORDS = new Set(['เมนู', 'menu', 'help', 'ช่วยด้วย', 'สวัสดี', 'หวัดดี', 'ดีค่ะ', 'ดีครับ', 'เริ่ม', 'start', 'hi', 'hello']);

function bestIntent<T extends string>(text: string, keywords: Record<T, KeywordWeights>): { intent: T; score: number } | undefined {
  const runs = wordRuns(thaiWords(text));
  let best: { intent: T; score: number } | undefined;
  for (const intent of Object.keys(keywords) as T[]) {
    let score = 0;
    for (const [keyword, weight] of Object.entries(keywords[intent])) if (runs.has(keyword)) score += weight;
    if (score >= 2 && (!best || score > best.score)) best = { intent, score };
  }
  return best;
}

/** The borrower's intent, or undefined when nothing in the text points anywhere. */
export function detectBorrowerIntent(text: string): BorrowerIntent | undefined {
  const words = thaiWords(text);
  if (words.length === 0) return undefined;
  const best = bestIntent(text, BORROWER_KEYWORDS);
  if (best) return best.intent;
  if (words.some((word) => MENU_WORDS.has(word)) || MENU_WORDS.has(words.join(''))) return 'menu';
  return undefined;
}

const OFFICER_KEYWORDS: Record<Exclude<OfficerIntent, 'menu'>, KeywordWeights> = {
  summary: { สรุป: 4, ภาพรวม: 4, รายงาน: 3, สถิติ: 3, พื้นที่: 1, summary: 4, ยอดรวม: 3 },
  help_lookup: { ค้นหา: 4, หา: 2, ลูกหนี้: 1 },
};

/**
 * The officer's intent. Anything that is neither a known command nor a greeting is a lookup
 * (a name or a contract number), decided by the caller.
 */
export function detectOfficerIntent(text: string): OfficerIntent | undefined {
  const words = thaiWords(text);
  if (words.length === 0) return undefined;
  const best = bestIntent(text, OFFICER_KEYWORDS);
  if (best) return best.intent;
  if (words.some((word) => MENU_WORDS.has(word)) || MENU_WORDS.has(words.join(''))) return 'menu';
  return undefined;
}
