// How areas and officer roles are named on screen.
import type { OfficerRole } from '../db/schema.ts';

const LEVEL_PREFIX = ['จ.', 'อ.', 'ต.'];
const LEVEL_PREFIX_LONG = ['จังหวัด', 'อำเภอ', 'ตำบล'];

/** "ตราด/เมืองตราด/บางพระ" → "ต.บางพระ อ.เมืองตราด จ.ตราด" */
export function formatAreaPath(path: string): string {
  const parts = path.split('/');
  return parts
    .map((name, depth) => `${LEVEL_PREFIX[depth]}${name}`)
    .reverse()
    .join(' ');
}

/** The most specific level in full: "ตำบลบางพระ", "อำเภอเมืองตราด", "จังหวัดตราด". */
export function areaTitle(path: string | null): string {
  if (path === null) return 'ทั่วประเทศ';
  const parts = path.split('/');
  return `${LEVEL_PREFIX_LONG[parts.length - 1]}${parts[parts.length - 1]}`;
}

export const ROLE_TITLE: Record<OfficerRole, string> = {
  tambon: 'พัฒนากรประจำตำบล',
  district: 'เจ้าหน้าที่สำนักงานพัฒนาชุมชนอำเภอ',
  province: 'เจ้าหน้าที่สำนักงานพัฒนาชุมชนจังหวัด',
  department: 'เจ้าหน้าที่กรมการพัฒนาชุมชน',
  admin: 'ผู้ดูแลระบบ',
  mentor: 'ทีมพี่เลี้ยง',
};
