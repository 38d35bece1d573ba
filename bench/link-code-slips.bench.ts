// npm run bench:slips — renders 300 link-code slips (a large tambon's forum) to a PDF and reports time and size.
// BENCH_SLIPS=n changes the count; BENCH_OUT=file.pdf keeps the PDF to look at (pdftoppm -png -r 80 file.pdf page).
import { createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { linkCodeSlipPageCount, renderLinkCodeSlips, type LinkCodeSlip } from '../server/render/link-code-slips.pdf.ts';

const COUNT = Number(process.env.BENCH_SLIPS ?? 300);
const GIVEN = ['สมศรี', 'บุญมี', 'ผู้ใหญ่ลำดวน', 'จำเนียร', 'ประไพ', 'ทองใบ', 'สุดใจ', 'เพ็ญศรี', 'ญาณี', 'ฐิติมา'];
const FAMILY = ['ใจดี', 'ศรีสุข', 'ชำนาญกิจ', 'ปู่เจ้าสมิงพราย', 'แก้วมณี', 'รุ่งเรืองศรี', 'นาคสุข', 'ทองคำ'];

function makeSlips(count: number): LinkCodeSlip[] {
  return Array.from({ length: count }, (_, i) => ({
    fullName: `นาง${GIVEN[i % GIVEN.length]} ${FAMILY[i % FAMILY.length]}`,
    contractNoMasked: `ตร-xxx-${String(1000 + i).slice(-4)}`,
    code: String(10_000_000 + ((i + 1) * 7_919_423) % 89_999_999),
    expiresOn: '2026-11-29',
  }));
}

let bytes = 0;
const keep = process.env.BENCH_OUT ? createWriteStream(process.env.BENCH_OUT) : undefined;
const output = new Writable({
  write(chunk: Buffer, _encoding, done) {
    bytes += chunk.length;
    if (keep) keep.write(chunk, done);
    else done();
  },
  final: (done) => (keep ? keep.end(done) : done()),
});

const slips = makeSlips(COUNT);
const started = performance.now();
const cpuBefore = process.cpuUsage();
await renderLinkCodeSlips(
  {
    title: 'รหัสผูกบัญชี LINE สำหรับลูกหนี้ — เวทีประชาคมประจำเดือน',
    areaName: 'ตำบลห้วงน้ำขาว อำเภอเมืองตราด จังหวัดตราด',
    issuedAt: new Date('2026-11-23T01:30:00Z'),
    addFriendUrl: 'https://line.me/R/ti/p/@wdf-trat',
    slips,
  },
  output,
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// CPU time next to wall time: on a busy machine the wall time says more about the neighbours than about us.
console.log(
  `${COUNT} slips on ${linkCodeSlipPageCount(COUNT)} A4 pages: ${seconds.toFixed(2)} s ` +
    `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, load average ${loadavg()[0]!.toFixed(1)}), ${(bytes / 1024).toFixed(0)} KiB` +
    `${process.env.BENCH_OUT ? ` → ${process.env.BENCH_OUT}` : ''}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
