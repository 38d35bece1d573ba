// Area names as registries write them: "จ.ตราด", "อำเภอเมืองตราด", "ต.บางพระ" are ตราด, เมืองตราด, บางพระ. A province
// must be one of Thailand's 77: a typo ("ตราต") would otherwise make a province of its own, whose debtors no officer
// of the real one ever sees.

/** The 77 provinces (76 and Bangkok), as the Department of Provincial Administration spells them. */
export const THAI_PROVINCES = [
  'กรุงเทพมหานคร', 'กระบี่', 'กาญจนบุรี', 'กาฬสินธุ์', 'กำแพงเพชร', 'ขอนแก่น', 'จันทบุรี', 'ฉะเชิงเทรา', 'ชลบุรี', 'ชัยนาท',
  'ชัยภูมิ', 'ชุมพร', 'เชียงราย', 'เชียงใหม่', 'ตรัง', 'ตราด', 'ตาก', 'นครนายก', 'นครปฐม', 'นครพนม', 'นครราชสีมา',
  'นครศรีธรรมราช', 'นครสวรรค์', 'นนทบุรี', 'นราธิวาส', 'น่าน', 'บึงกาฬ', 'บุรีรัมย์', 'ปทุมธานี', 'ประจวบคีรีขันธ์',
  'ปราจีนบุรี', 'ปัตตานี', 'พระนครศรีอยุธยา', 'พะเยา', 'พังงา', 'พัทลุง', 'พิจิตร', 'พิษณุโลก', 'เพชรบุรี', 'เพชรบูรณ์',
  'แพร่', 'ภูเก็ต', 'มหาสารคาม', 'มุกดาหาร', 'แม่ฮ่องสอน', 'ยโสธร', 'ยะลา', 'ร้อยเอ็ด', 'ระนอง', 'ระยอง', 'ราชบุรี',
  'ลพบุรี', 'ลำปาง', 'ลำพูน', 'เลย', 'ศรีสะเกษ', 'สกลนคร', 'สงขลา', 'สตูล', 'สมุทรปราการ', 'สมุทรสงคราม', 'สมุทรสาคร',
  'สระแก้ว', 'สระบุรี', 'สิงห์บุรี', 'สุโขทัย', 'สุพรรณบุรี', 'สุราษฎร์ธานี', 'สุรินทร์', 'หนองคาย', 'หนองบัวลำภู',
  'อ่างทอง', 'อำนาจเจริญ', 'อุดรธานี', 'อุตรดิตถ์', 'อุทัยธานี', 'อุบลราชธานี',
] as const;

/** Short names people write for two provinces. */
const PROVINCE_ALIASES: Record<string, string> = {
  'กรุงเทพ': 'กรุงเทพมหานคร',
  'กรุงเทพฯ': 'กรุงเทพมหานคร',
  'กทม': 'กรุงเทพมหานคร',
  'กทม.': 'กรุงเทพมหานคร',
  'อยุธยา': 'พระนครศรีอยุธยา',
};

const KNOWN = new Set<string>(THAI_PROVINCES);

export type AreaLevel = 'province' | 'district' | 'subdistrict';

/** The level's prefixes, longest first: what registries put before a name. */
const PREFIXES: Record<AreaLevel, readonly string[]> = {
  province: ['จังหวัด', 'จ.'],
  district: ['อำเภอ', 'เขต', 'อ.'],
  subdistrict: ['ตำบล', 'แขวง', 'ต.'],
};

/** "จ. ตราด" → "ตราด", "อำเภอเมืองตราด" → "เมืองตราด"; spaces collapsed. A name that is only a prefix stays as it is. */
export function areaNameWithoutPrefix(level: AreaLevel, name: string): string {
  const clean = name.trim().replace(/\s+/g, ' ');
  for (const prefix of PREFIXES[level]) {
    if (clean.startsWith(prefix)) {
      const rest = clean.slice(prefix.length).trim();
      if (rest) return rest;
    }
  }
  return clean;
}

/** The province as the fund's areas name it, or undefined when it is none of the 77. */
export function knownProvince(name: string): string | undefined {
  const clean = areaNameWithoutPrefix('province', name).replace(/\s+/g, '');
  if (KNOWN.has(clean)) return clean;
  return PROVINCE_ALIASES[clean];
}

/** The province a misspelt name most likely meant (one or two letters off), for the error message. */
export function nearestProvince(name: string): string | undefined {
  const clean = areaNameWithoutPrefix('province', name).replace(/\s+/g, '');
  let best: { province: string; distance: number } | undefined;
  for (const province of THAI_PROVINCES) {
    const distance = editDistance(clean, province);
    if (!best || distance < best.distance) best = { province, distance };
  }
  return best && best.distance <= Math.max(1, Math.min(2, Math.floor(clean.length / 3))) ? best.province : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
