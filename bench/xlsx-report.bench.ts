// npm run bench:xlsx — streams a 100,000-row debtor list (10 columns, Thai names) into an XLSX and reports
// time, size and peak RSS (sampled every 50 ms). BENCH_ROWS=n changes the count; BENCH_OUT=file.xlsx keeps it.
import { createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import { addDays } from '../server/domain/local-date.ts';
import { writeXlsxReport, type XlsxColumn, type XlsxRow } from '../server/render/xlsx-report.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const GIVEN = ['สมศรี', 'บุญมี', 'ผู้ใหญ่ลำดวน', 'จำเนียร', 'ประไพ', 'ทองใบ', 'สุดใจ', 'เพ็ญศรี', 'ญาณี', 'ฐิติมา'];
const FAMILY = ['ใจดี', 'ศรีสุข', 'ชำนาญกิจ', 'ปู่เจ้าสมิงพราย', 'แก้วมณี', 'รุ่งเรืองศรี', 'นาคสุข', 'ทองคำ'];
const DISTRICTS = ['เมืองตราด', 'แหลมงอบ', 'บ่อไร่', 'คลองใหญ่', 'เขาสมิง'];
const STATUS = ['ลูกหนี้ปกติ', 'ลูกหนี้เข้าร่วมมาตรการฯ', 'ลูกหนี้ผิดนัดชำระ', 'ลูกหนี้ดำเนินคดี'];

const columns: XlsxColumn[] = [
  { header: 'เลขที่สัญญา', key: 'contractNo', type: 'text', width: 16 },
  { header: 'ชื่อ-สกุลผู้กู้', key: 'fullName', type: 'text', width: 30 },
  { header: 'อำเภอ', key: 'district', type: 'text', width: 14 },
  { header: 'สถานะลูกหนี้', key: 'status', type: 'text', width: 22 },
  { header: 'เงินต้น', key: 'principal', type: 'baht' },
  { header: 'ยอดค้างชำระ', key: 'overdue', type: 'baht' },
  { header: 'งวดที่ค้าง', key: 'overdueInstallments', type: 'count' },
  { header: 'สัดส่วนค้างชำระ', key: 'overdueRatio', type: 'percent' },
  { header: 'ครบกำหนดงวดถัดไป', key: 'nextDueOn', type: 'date' },
  { header: 'ชำระล่าสุด', key: 'lastPaidAt', type: 'datetime' },
];

async function* debtorRows(count: number): AsyncGenerator<XlsxRow> {
  const paidBase = Date.UTC(2026, 0, 1, 2, 0);
  for (let i = 0; i < count; i++) {
    const principal = 1_000_000 + (i % 20) * 100_000;
    const overdue = (i % 7) * 50_050;
    yield {
      contractNo: `ตร-${2560 + (i % 10)}-${String(i).padStart(6, '0')}`,
      fullName: `นาง${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]} ${i}`,
      district: DISTRICTS[i % DISTRICTS.length],
      status: STATUS[i % STATUS.length],
      principal,
      overdue,
      overdueInstallments: i % 7,
      overdueRatio: overdue / principal,
      nextDueOn: addDays('2026-11-01', i % 60),
      lastPaidAt: new Date(paidBase + (i % 300) * 86_400_000 + (i % 600) * 60_000),
    };
  }
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

const rssAtStart = process.memoryUsage().rss;
let peakRss = rssAtStart;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await writeXlsxReport({
  sheets: [{ name: 'ลูกหนี้', title: `ทะเบียนลูกหนี้ จังหวัดตราด (${ROWS.toLocaleString('en-US')} สัญญา)`, columns, rows: debtorRows(ROWS) }],
  output,
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
console.log(
  `${result.sheets[0]!.rows.toLocaleString('en-US')} rows × ${columns.length} columns: ${seconds.toFixed(2)} s ` +
    `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, load average ${loadavg()[0]!.toFixed(1)}), ${(bytes / 1024 / 1024).toFixed(1)} MB; ` +
    `RSS ${mb(rssAtStart)} MB at start, peak ${mb(peakRss)} MB${process.env.BENCH_OUT ? ` → ${process.env.BENCH_OUT}` : ''}`,
);
