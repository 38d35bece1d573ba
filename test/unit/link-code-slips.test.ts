import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  linkCodeSlipPageCount,
  renderLinkCodeSlips,
  SLIPS_PER_PAGE,
  type LinkCodeSlip,
  type LinkCodeSlipSheet,
} from '../../server/render/link-code-slips.pdf.ts';
import { extractPdfText } from '../support/pdf-text.ts';

function slip(index: number, overrides: Partial<LinkCodeSlip> = {}): LinkCodeSlip {
  return {
    fullName: `นางผู้ใหญ่ลำดวน ชำนาญกิจ${index}`,
    contractNoMasked: `ตร-xxx-${String(index).padStart(4, '0')}`,
    code: String(20_000_000 + index * 1_111),
    expiresOn: '2026-11-29',
    ...overrides,
  };
}

function sheet(slips: LinkCodeSlip[]): LinkCodeSlipSheet {
  return {
    title: 'รหัสผูกบัญชี LINE สำหรับลูกหนี้',
    areaName: 'ตำบลห้วงน้ำขาว อำเภอเมืองตราด จังหวัดตราด',
    issuedAt: new Date('2026-11-23T01:30:00Z'),
    addFriendUrl: 'https://line.me/R/ti/p/@wdf-test',
    slips,
  };
}

async function render(slips: LinkCodeSlip[]): Promise<{ pdf: Buffer; writes: number }> {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await renderLinkCodeSlips(sheet(slips), output);
  return { pdf: Buffer.concat(chunks), writes: chunks.length };
}

/** PDF text of Thai "ำ" comes out as NIKHAHIT + SARA AA; compare the two spellings as one. */
const plain = (text: string) => text.normalize('NFKC');

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('link-code slips PDF', () => {
  it('fits five slips on a page, and an empty sheet still has one page', () => {
    expect(SLIPS_PER_PAGE).toBe(5);
    expect([0, 1, 5, 6, 23, 300].map(linkCodeSlipPageCount)).toEqual([1, 1, 1, 2, 5, 60]);
  });

  it('renders an empty sheet as one page that says there is nobody to give a code to', async () => {
    const { pdf } = await render([]);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    const text = extractPdfText(pdf);
    expect(text.pageCount).toBe(1);
    expect(plain(text.pages[0]!)).toContain(plain('ไม่มีผู้กู้ที่ต้องออกรหัสผูกบัญชีในพื้นที่นี้'));
    expect(text.pages[0]).toContain('หน้า 1 / 1');
  });

  it('prints one slip with the name, masked contract, spaced code, Buddhist-Era expiry and the steps', async () => {
    const { pdf } = await render([slip(1, { code: '12345678' })]);
    const text = extractPdfText(pdf);
    expect(text.pageCount).toBe(1);
    const page = plain(text.pages[0]!);
    expect(page).toContain('1234 5678');
    expect(page).toContain(plain('นางผู้ใหญ่ลำดวน ชำนาญกิจ1'));
    expect(page).toContain('สัญญา ตร-xxx-0001');
    expect(page).toContain('ใช้ได้ถึง 29 พ.ย. 2569');
    expect(page).toContain(plain('ตำบลห้วงน้ำขาว อำเภอเมืองตราด จังหวัดตราด · ออกเมื่อ 23 พ.ย. 2569 เวลา 08.30 น.'));
    expect(page).toContain('1. สแกน QR');
    expect(page).toContain('2. พิมพ์รหัส 8 หลักนี้');
    expect(page).toContain(plain('ดูยอดที่ต้องชำระ'));
    expect(page).toContain('เจ้าหน้าที่');
    expect(page).toContain('หน้า 1 / 1');
  });

  it('spreads 23 slips over 5 pages in order, each code on its page, with one embedded QR image', async () => {
    const slips = Array.from({ length: 23 }, (_, i) => slip(i));
    const { pdf, writes } = await render(slips);
    const text = extractPdfText(pdf);
    expect(text.pageCount).toBe(5);
    slips.forEach((s, i) => {
      const page = text.pages[Math.floor(i / SLIPS_PER_PAGE)]!;
      expect(page, `slip ${i}`).toContain(`${s.code.slice(0, 4)} ${s.code.slice(4)}`);
    });
    expect(text.pages[4]).toContain('หน้า 5 / 5');
    expect(text.pages[4]!.match(/ใช้ได้ถึง/g)).toHaveLength(3);
    // The QR is the same on every slip: embedded once (the image and its transparency mask), referenced from each page.
    const imageObjects = (bytes: Buffer) => bytes.toString('latin1').match(/\/Subtype \/Image/g)?.length;
    expect(imageObjects(pdf)).toBe(imageObjects((await render([slip(0)])).pdf));
    expect(imageObjects(pdf)).toBeLessThanOrEqual(2);
    expect(writes).toBeGreaterThan(5); // streamed out in pieces, not handed over as one buffer at the end
  });

  it('shrinks, then cuts, a name too long for its line instead of running into the contract number', async () => {
    const longName = `นาง${'ประไพพรรณ'.repeat(8)} รุ่งเรืองศรี`;
    const text = extractPdfText((await render([slip(1, { fullName: longName })])).pdf).pages[0]!;
    expect(text).toContain('นางประไพพรรณ');
    expect(text).toMatch(/ประไพพรรณ…\s*สัญญา ตร-xxx-0001/);
    expect(text).not.toContain('รุ่งเรืองศรี');
  });

  it.skipIf(!hasPdftotext)('reads the same codes through poppler', async () => {
    const slips = Array.from({ length: 7 }, (_, i) => slip(i));
    const { pdf } = await render(slips);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    for (const s of slips) expect(text).toContain(`${s.code.slice(0, 4)} ${s.code.slice(4)}`);
    expect(text.normalize('NFKC')).toContain(plain('ชำนาญกิจ6'));
  });
});

describe('link-code slips PDF, refusing bad input', () => {
  it('refuses a code that is not 8 digits, naming the slip, and destroys the output', async () => {
    const output = new Writable({ write: (_chunk, _encoding, done) => done() });
    output.on('error', () => {});
    await expect(renderLinkCodeSlips(sheet([slip(1), slip(2, { code: '1234 5678' })]), output)).rejects.toThrow(
      'slip 2: a link code is 8 digits, got "1234 5678"',
    );
    expect(output.destroyed).toBe(true);
  });
});
