// Operator commands: `npm run cli -- <command>`. Thin: parse arguments, call a service, print the outcome.
// Logs go to stderr so stdout carries only results (a link code is always stdout's last line).
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { createContext, type AppContext } from '../context.ts';
import { describeJobSummary, isJobName, JOB_NAMES } from '../services/job-runner.service.ts';
import { clockStartingAt, type Clock } from '../services/ports.ts';
import { StartupError } from '../startup-error.ts';
import { DomainError } from '../domain/errors.ts';
import { bangkokDate, formatThaiDate, formatThaiDateTime } from '../domain/local-date.ts';
import { NothingToRotateError, RotationBlockedError, RotationIncompleteError } from '../services/key-rotation.service.ts';
import { REDACT_PATHS } from '../logger.ts';
import { replaceRetiredKeyFile } from '../security/data-key-file.ts';
import type { OfficerRole } from '../db/schema.ts';
import { statementSummaryLine } from '../content/money.th.ts';
import { ROLE_TITLE } from '../content/area-names.ts';
import { formatSatang } from '../domain/money.ts';

/** "ไม่เปลี่ยน 49 สัญญา ยอดชำระเพิ่ม 51 สัญญา รวม ฿75,000.00": what a re-import did to the contracts it already had. */
function registryChangesThai(result: { loansUnchanged: number; paidTotalRaised: number; paidTotalRaisedBy: number; paidTotalLowered: number; paidTotalLoweredBy: number }): string {
  const parts = [`ไม่เปลี่ยน ${result.loansUnchanged} สัญญา`];
  if (result.paidTotalRaised > 0) parts.push(`ยอดชำระเพิ่ม ${result.paidTotalRaised} สัญญา รวม ${formatSatang(result.paidTotalRaisedBy)}`);
  if (result.paidTotalLowered > 0) parts.push(`ยอดชำระลดลง (แก้ไข) ${result.paidTotalLowered} สัญญา รวม ${formatSatang(result.paidTotalLoweredBy)}`);
  return parts.join(' ');
}

const USAGE = `การใช้งาน (usage): npm run cli -- <คำสั่ง>

  import loans FILE.csv [--allow-new-borrower]
      นำเข้าทะเบียนเงินกู้จากไฟล์ CSV (UTF-8) — ตรวจทุกแถวก่อน ถ้ามีแถวผิดจะไม่นำเข้าเลย
      (--allow-new-borrower: ยอมให้สัญญาเดิมเปลี่ยนเป็นของผู้กู้อีกคน เช่น ผู้รับสภาพหนี้)
  import payments FILE.csv
      นำเข้ารายการรับชำระจากธนาคารหรือเคาน์เตอร์ (หัวตาราง paid_on,amount,ref1,ref2,reference) — ตรวจทุกแถวก่อน
      ถ้ามีแถวผิดจะไม่นำเข้าเลย; รายการเดิมไม่บันทึกซ้ำ; บรรทัดสุดท้ายคือสรุป (recorded, already known, unmatched)
  link-code borrower --national-id ID | --contract NO
      ออกรหัสผูกบัญชี LINE ให้ผู้กู้ (บรรทัดสุดท้ายคือรหัส)
      (--national-id -: อ่านเลขประจำตัวประชาชนจากแป้นพิมพ์หรือ stdin เลขจะไม่ค้างในประวัติคำสั่งของ shell)
  link-code officer --name NAME --role tambon|district|province|department|admin|mentor [--area "จังหวัด[/อำเภอ[/ตำบล]]"] [--phone 08xxxxxxxx]
      ลงทะเบียนเจ้าหน้าที่และออกรหัสผูกบัญชี (บรรทัดสุดท้ายคือรหัส)
  officers list [--area "จังหวัด[/อำเภอ[/ตำบล]]"]
      รายชื่อเจ้าหน้าที่ (หมายเลข บทบาท พื้นที่ ผูก LINE แล้วหรือยัง)
  officers deactivate ID
      ปิดสิทธิ์เจ้าหน้าที่ที่ย้ายหรือพ้นหน้าที่: ยกเลิกการผูก LINE ทันที ยกเลิกรหัสที่ยังไม่ใช้และข้อความค้างส่ง
      ลูกหนี้ที่เป็นพี่เลี้ยงให้กลับเป็น "ยังไม่มีพี่เลี้ยง"; งานที่บันทึกไว้ยังอยู่ครบ
  jobs run borrower-reminders|officer-digest|dispatch|retention [--at 2026-12-01T08:00:00+07:00]
      รันงานหนึ่งครั้งเสมือนนาฬิกาอยู่ที่ --at: วางแผนข้อความที่ถึงกำหนด ส่ง รอผลการส่ง แล้วสรุป
      (retention: ลบข้อมูลส่วนบุคคลของผู้กู้ที่ปิดสัญญาทุกสัญญาเกิน RETENTION_YEARS ปี)
  keys status
      กุญแจเข้ารหัสที่ใช้อยู่ กุญแจเก่า และความคืบหน้าการเปลี่ยนกุญแจ
  keys rotate [--batch 500]
      เข้ารหัสข้อมูลใหม่ด้วย DATA_ENCRYPTION_KEY (กุญแจเก่าอยู่ใน DATA_ENCRYPTION_KEYS_PREVIOUS) ทีละชุด
      ระหว่างที่ระบบทำงาน ถ้าหยุดกลางทาง รันซ้ำจะทำต่อจากเดิม เสร็จแล้วกุญแจเก่าจะใช้ไม่ได้อีก
  holidays list [--year 2027]
      วันหยุดราชการของปี (ค.ศ.) — วันทางจันทรคติเป็นวันประมาณการจนกว่าจะยืนยัน
  holidays confirm --year 2027
      ยืนยันว่าวันหยุดของปีตรงกับประกาศของรัฐบาลแล้ว
  holidays set YYYY-MM-DD "ชื่อวันหยุด"
      เพิ่มหรือแก้ไขวันหยุด (ถือว่ายืนยันแล้ว)
  holidays remove YYYY-MM-DD
      ลบวันหยุด
  db migrate
      ปรับโครงสร้างฐานข้อมูลให้เป็นปัจจุบัน
`;

class UsageError extends Error {}

const OFFICER_ROLES: OfficerRole[] = ['tambon', 'district', 'province', 'department', 'admin', 'mentor'];

function out(line = '') {
  process.stdout.write(`${line}\n`);
}

/** The app's services for one command. Without LINE settings nothing is sent from here: jobs only plan. */
async function withServices<T>(run: (context: AppContext) => Promise<T>, clock?: Clock): Promise<T> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2));
  // A command does its own sending (jobs run dispatch explicitly): nothing in the background races its exit.
  const context = await createContext(config, { log, sendOnRequest: false, ...(clock ? { clock } : {}) }, { withoutLine: 'plan-only' });
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

async function importLoans(args: string[]): Promise<number> {
  const allowNewBorrower = args.includes('--allow-new-borrower');
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--allow-new-borrower');
  if (unknown.length > 0) throw new UsageError(`ไม่รู้จักตัวเลือก ${unknown.join(' ')}: import loans FILE.csv [--allow-new-borrower]`);
  const file = args.find((arg) => !arg.startsWith('--'));
  if (!file) throw new UsageError('ต้องระบุไฟล์: import loans FILE.csv');
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    out(`อ่านไฟล์ ${file} ไม่ได้: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 1;
  }
  return withServices(async (context) => {
    const started = performance.now();
    // Streamed: a registry of 100,000 contracts is read, checked and written a slice at a time.
    const stream = handle.createReadStream({ highWaterMark: 256 * 1024 });
    const result = await context.services.registry
      .importStream(stream, { actor: 'cli', fileName: path.basename(file), at: context.clock.now(), allowNewBorrower })
      .finally(() => stream.destroy());
    if (!result.ok) {
      out(`นำเข้าไม่สำเร็จ — ไม่ได้บันทึกข้อมูลใดเลย (import failed, nothing was written)`);
      for (const problem of result.fileProblems) out(`ไฟล์: ${problem}`);
      for (const error of result.rowErrors) {
        out(`บรรทัด ${error.line}${error.contractNo ? ` (สัญญา ${error.contractNo})` : ''}: ${error.reasons.join('; ')}`);
      }
      if (result.rowErrors.length > 0) out(`พบแถวที่ผิด ${result.rowErrors.length} แถว`);
      return 1;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    out(`นำเข้าสำเร็จใน ${seconds} วินาที: สัญญาใหม่ ${result.loansCreated} ปรับปรุง ${result.loansUpdated} ` +
      `ผู้กู้ ${result.borrowersTotal} ราย (ใหม่ ${result.borrowersCreated}) งวดผ่อน ${result.installmentsWritten} งวด` +
      (result.skippedAnonymised > 0 ? ` ข้าม ${result.skippedAnonymised} สัญญาของผู้กู้ที่ลบข้อมูลส่วนบุคคลตามระยะเวลาเก็บรักษาแล้ว` : '') +
      // What a re-import changed, after the line's older parts (tools read those).
      (result.loansUpdated > 0 ? ` · ${registryChangesThai(result)}` : ''));
    return 0;
  });
}

/** A bank or counter statement; stdout's last line is always the one-line summary (or the failure). */
async function importPayments(file: string | undefined): Promise<number> {
  if (!file) throw new UsageError('ต้องระบุไฟล์: import payments FILE.csv');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    out(`อ่านไฟล์ ${file} ไม่ได้: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 1;
  }
  return withServices(async (context) => {
    const result = await context.services.statements.importStatement(bytes, { fileName: path.basename(file) });
    if (!result.ok) {
      out('นำเข้าไม่สำเร็จ — ไม่ได้บันทึกรายการใดเลย (import failed, nothing was written)');
      for (const problem of result.fileProblems) out(`ไฟล์: ${problem}`);
      for (const error of result.rowErrors) out(`บรรทัด ${error.line}${error.reference ? ` (รายการ ${error.reference})` : ''}: ${error.reasons.join('; ')}`);
      out(`statement import failed: ${result.rowErrors.length} bad rows, nothing recorded`);
      return 1;
    }
    for (const exception of result.exceptions) out(`บรรทัด ${exception.line} (รายการ ${exception.reference}) → รายการรอตรวจสอบ: ${exception.reason}`);
    out(`รายการ ${result.lines} รายการ: บันทึกใหม่ ${result.recorded} บันทึกไว้แล้ว ${result.alreadyKnown} รอเจ้าหน้าที่ตรวจสอบ ${result.unmatched}`);
    out(statementSummaryLine(result));
    return 0;
  });
}

/** The first line of standard input; at a terminal, asked for on stderr (stdout's last line is the code). */
async function readNationalIdFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('เลขประจำตัวประชาชน 13 หลัก: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) {
      if (line.trim() !== '') return line.trim();
    }
  } finally {
    lines.close();
  }
  throw new UsageError('--national-id -: ไม่ได้รับเลขประจำตัวประชาชนทาง stdin');
}

async function linkCode(args: string[]): Promise<number> {
  const [who, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      'national-id': { type: 'string' },
      contract: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      area: { type: 'string' },
      phone: { type: 'string' },
    },
    strict: true,
  });
  if (who === 'borrower') {
    if (!values['national-id'] === !values.contract) throw new UsageError('ระบุอย่างใดอย่างหนึ่ง: --national-id หรือ --contract');
    // "-": the number is read, not typed on the command line, where the shell's history would keep it.
    const nationalId = values['national-id'] === '-' ? await readNationalIdFromStdin() : values['national-id'];
    return withServices(async (context) => {
      const issued = await context.services.linking.issueBorrowerCode(
        nationalId !== undefined ? { nationalId } : { contractNo: values.contract! },
        { actor: 'cli', at: context.clock.now() },
      );
      out(`รหัสผูกบัญชีของผู้กู้ ${issued.borrowerName} ใช้ได้ครั้งเดียว ถึง ${formatThaiDateTime(issued.expiresAt)}`);
      out(`ให้ผู้กู้พิมพ์รหัสนี้ในแชต LINE ของกองทุน:`);
      out(issued.code);
      return 0;
    });
  }
  if (who === 'officer') {
    if (!values.name) throw new UsageError('ต้องระบุ --name');
    const role = values.role as OfficerRole | undefined;
    if (!role || !OFFICER_ROLES.includes(role)) throw new UsageError(`--role ต้องเป็นหนึ่งใน ${OFFICER_ROLES.join(', ')}`);
    return withServices(async (context) => {
      const issued = await context.services.linking.issueOfficerCode(
        { fullName: values.name!, role, areaPath: values.area, phone: values.phone },
        { actor: 'cli', at: context.clock.now() },
      );
      out(`ลงทะเบียนเจ้าหน้าที่ ${values.name} (${ROLE_TITLE[role]}${values.area ? ` · ${values.area}` : ''}) แล้ว รหัสใช้ได้ครั้งเดียว ถึง ${formatThaiDateTime(issued.expiresAt)}`);
      out(`ให้เจ้าหน้าที่พิมพ์รหัสนี้ในแชต LINE ของกองทุน:`);
      out(issued.code);
      return 0;
    });
  }
  throw new UsageError('link-code ต้องตามด้วย borrower หรือ officer');
}

async function officersCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'list') {
    const { values } = parseArgs({ args: rest, options: { area: { type: 'string' } }, strict: true });
    return withServices(async (context) => {
      const officers = await context.services.linking.listOfficers(values.area);
      if (officers.length === 0) out(values.area ? `ไม่มีเจ้าหน้าที่ในพื้นที่ ${values.area}` : 'ยังไม่มีเจ้าหน้าที่ (ลงทะเบียนด้วย link-code officer)');
      else out(`${'หมายเลข'.padStart(7)}  ชื่อ  บทบาท  พื้นที่  [LINE] — ใช้หมายเลขกับ officers deactivate`);
      for (const officer of officers) {
        const state = !officer.active ? 'ปิดสิทธิ์แล้ว' : officer.linkedAt ? `ผูก LINE แล้ว ${formatThaiDate(bangkokDate(officer.linkedAt))}` : 'ยังไม่ผูก LINE';
        out(`${String(officer.id).padStart(5)}  ${officer.fullName}  ${ROLE_TITLE[officer.role]}  ${officer.areaPath ?? 'ทั้งประเทศ'}  [${state}]`);
      }
      return 0;
    });
  }
  if (verb === 'deactivate') {
    const id = Number(rest[0]);
    if (rest.length !== 1 || !Number.isInteger(id) || id < 1) {
      throw new UsageError(`ต้องระบุหมายเลขเจ้าหน้าที่ ไม่ใช่ชื่อ: ดูหมายเลขด้วย officers list [--area "จังหวัด/อำเภอ"] แล้วใช้ officers deactivate หมายเลข`);
    }
    return withServices(async (context) => {
      const done = await context.services.linking.deactivateOfficer(id, { actor: 'cli', at: context.clock.now() });
      if (!done.changed) {
        out(`เจ้าหน้าที่หมายเลข ${id} ${done.fullName} ปิดสิทธิ์ไว้ก่อนแล้ว ไม่มีอะไรเปลี่ยน`);
        return 0;
      }
      out(`ปิดสิทธิ์เจ้าหน้าที่หมายเลข ${id} ${done.fullName} แล้ว: ${done.unlinked ? 'ยกเลิกการผูก LINE แล้ว' : 'ยังไม่ได้ผูก LINE'}` +
        ` · รหัสผูกบัญชีที่ยังไม่ใช้ ${done.codesEnded} รหัส · ข้อความค้างส่ง ${done.messagesCancelled} ข้อความ · ลูกหนี้ที่เคยดูแลในฐานะพี่เลี้ยง ${done.menteesReleased} ราย`);
      return 0;
    });
  }
  throw new UsageError('ใช้: officers list [--area ...] | officers deactivate ID');
}

async function runJobCommand(args: string[]): Promise<number> {
  const [verb, name, ...rest] = args;
  if (verb !== 'run' || !name) throw new UsageError(`ใช้: jobs run ${JOB_NAMES.join('|')} [--at ISO-8601]`);
  if (!isJobName(name)) throw new UsageError(`ไม่รู้จักงาน "${name}" (มี ${JOB_NAMES.join(', ')})`);
  const { values } = parseArgs({ args: rest, options: { at: { type: 'string' } }, strict: true });
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at ต้องเป็นวันเวลาแบบ ISO-8601 เช่น 2026-12-01T08:00:00+07:00 (ได้ "${values.at}")`);

  return withServices(async (context) => {
    const { jobs } = context.services;
    // A database restart while the job runs is waited out (up to two minutes), not a failure.
    const summary = await jobs.run(name, at, jobs.canDispatch ? { dispatch: true, patienceMs: 120_000, outagePatienceMs: 120_000 } : { dispatch: false, outagePatienceMs: 120_000 });
    // The summary stays the last line (other tools read it), so the note comes first.
    if (!jobs.canDispatch && name !== 'retention') out('ยังไม่ได้ตั้งค่า LINE (LINE_CHANNEL_SECRET) จึงวางแผนไว้ในคิวเท่านั้น — เซิร์ฟเวอร์จะส่งเมื่อทำงาน');
    out(describeJobSummary(summary));
    return 0;
  }, clockStartingAt(at));
}

function progressLine(line: string) {
  // Progress goes to stderr, one line rewritten in place on a terminal: stdout keeps only the outcome.
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else process.stderr.write(`${line}\n`);
}

async function keysCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'status') {
    return withServices(async (context) => {
      const status = await context.services.keys.status();
      out(`กุญแจปัจจุบัน (current key id): ${status.current}`);
      out(`กุญแจเก่าที่ยังอ่านได้ (previous): ${status.previous.length > 0 ? status.previous.join(', ') : '—'}`);
      out(`กุญแจที่เลิกใช้แล้ว (retired): ${status.retired.length > 0 ? status.retired.join(', ') : '—'}`);
      if (status.rotation) {
        out(`กำลังเปลี่ยนกุญแจไปที่ ${status.rotation.target} (เริ่ม ${formatThaiDateTime(new Date(status.rotation.startedAt))}): ` +
          `เลขประจำตัว ${status.rotation.borrowersDone} รายการ เอกสาร ${status.rotation.documentsDone} ไฟล์ — รัน keys rotate เพื่อทำต่อ`);
      } else {
        out('ไม่มีการเปลี่ยนกุญแจค้างอยู่ (no rotation in progress)');
      }
      return 0;
    });
  }
  if (verb === 'rotate') {
    const { values } = parseArgs({ args: rest, options: { batch: { type: 'string' } }, strict: true });
    const batchSize = values.batch === undefined ? 500 : Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch ต้องเป็นจำนวนเต็ม 1–10000');
    return withServices(async (context) => {
      const started = performance.now();
      let summary;
      try {
        summary = await context.services.keys.rotate({
          batchSize,
          onProgress: (p) => progressLine(`${p.phase === 'borrowers' ? 'เลขประจำตัว' : 'เอกสาร'}: ตรวจแล้ว ${p.done.toLocaleString('th-TH')} เข้ารหัสใหม่ ${p.reencrypted.toLocaleString('th-TH')}`),
        });
      } catch (error) {
        if (error instanceof NothingToRotateError || error instanceof RotationIncompleteError || error instanceof RotationBlockedError) {
          out(error.message);
          return 1;
        }
        throw error;
      }
      if (process.stderr.isTTY) process.stderr.write('\n');
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      out(`${summary.resumed ? 'ทำต่อจากครั้งก่อนและ' : ''}เปลี่ยนกุญแจเสร็จใน ${seconds} วินาที: เลขประจำตัว ${summary.reencryptedBorrowers} รายการ เอกสาร ${summary.reencryptedDocuments} ไฟล์`);
      out(`กุญแจที่เลิกใช้ (retired): ${summary.retiredKeys.join(', ')} — ลบออกจาก DATA_ENCRYPTION_KEYS_PREVIOUS แล้วเริ่มระบบใหม่ได้`);
      const keyFile = replaceRetiredKeyFile(context.config, summary.retiredKeys);
      if (keyFile) out(`ไฟล์กุญแจ ${keyFile} เปลี่ยนเป็นกุญแจใหม่แล้ว: เริ่มระบบโดยไม่ตั้ง DATA_ENCRYPTION_KEY ได้เหมือนเดิม`);
      if (summary.liveLinkCodesUnderOldKey > 0) {
        out(`รหัสผูกบัญชีที่ยังไม่ถูกใช้ ${summary.liveLinkCodesUnderOldKey} รหัสออกก่อนเริ่มเปลี่ยนกุญแจ: ใช้ได้จนกว่าจะลบกุญแจเก่า หลังจากนั้นต้องออกรหัสใหม่`);
      }
      out(`key rotation complete: current ${summary.target}`);
      return 0;
    });
  }
  throw new UsageError('ใช้: keys status | keys rotate [--batch N]');
}

const thisYear = () => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Bangkok', year: 'numeric' }).format(new Date()));

function yearOption(value: string | undefined, required: boolean): number {
  if (value === undefined) {
    if (required) throw new UsageError('ต้องระบุ --year (ปี ค.ศ. เช่น 2027)');
    return thisYear();
  }
  const year = Number(value);
  // People type the Buddhist year too: 2570 means 2027.
  const ce = year > 2400 ? year - 543 : year;
  if (!Number.isInteger(ce) || ce < 2000 || ce > 2200) throw new UsageError(`--year ไม่ถูกต้อง: "${value}" (ใช้ปี ค.ศ. เช่น 2027 หรือ พ.ศ. เช่น 2570)`);
  return ce;
}

async function holidaysCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'list' || verb === 'confirm') {
    const { values } = parseArgs({ args: rest, options: { year: { type: 'string' } }, strict: true });
    const year = yearOption(values.year, verb === 'confirm');
    return withServices(async (context) => {
      const { holidays } = context.services;
      if (verb === 'confirm') {
        const count = await holidays.confirmYear(year, 'cli', context.clock.now());
        if (count === 0) {
          out(`ยังไม่มีวันหยุดของปี ${year} (พ.ศ. ${year + 543}) ในตาราง — เพิ่มด้วย holidays set`);
          return 1;
        }
        out(`ยืนยันวันหยุดปี ${year} (พ.ศ. ${year + 543}) แล้ว ${count} วัน`);
        return 0;
      }
      const days = await holidays.list(year);
      if (days.length === 0) out(`ไม่มีวันหยุดของปี ${year} (พ.ศ. ${year + 543}) ในตาราง`);
      for (const day of days) {
        const state = day.estimated ? 'ประมาณการ (estimated) — ตรวจกับประกาศแล้วยืนยัน' : day.confirmedAt ? `ยืนยันแล้ว ${formatThaiDate(bangkokDate(day.confirmedAt))}` : 'วันที่แน่นอน';
        out(`${day.day}  ${formatThaiDate(day.day).padEnd(14)}  ${day.name}  [${state}]`);
      }
      const estimated = days.filter((day) => day.estimated).length;
      if (estimated > 0) out(`มีวันประมาณการ ${estimated} วัน: แก้ด้วย holidays set แล้วยืนยันทั้งปีด้วย holidays confirm --year ${year}`);
      return 0;
    });
  }
  if (verb === 'set') {
    const [day, ...nameParts] = rest;
    const name = nameParts.join(' ');
    if (!day || !name) throw new UsageError('ใช้: holidays set YYYY-MM-DD "ชื่อวันหยุด"');
    return withServices(async (context) => {
      await context.services.holidays.set(day, name, 'cli', context.clock.now());
      out(`บันทึกวันหยุด ${day} (${formatThaiDate(day)}) ${name} แล้ว`);
      return 0;
    });
  }
  if (verb === 'remove') {
    const [day] = rest;
    if (!day) throw new UsageError('ใช้: holidays remove YYYY-MM-DD');
    return withServices(async (context) => {
      const removed = await context.services.holidays.remove(day, 'cli', context.clock.now());
      out(removed ? `ลบวันหยุด ${day} แล้ว` : `ไม่มีวันหยุด ${day} ในตาราง`);
      return removed ? 0 : 1;
    });
  }
  throw new UsageError('ใช้: holidays list|confirm|set|remove');
}

async function runCli(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'import':
      if (args[0] === 'payments') return importPayments(args[1]);
      if (args[0] !== 'loans') throw new UsageError('คำสั่งที่รองรับ: import loans FILE.csv, import payments FILE.csv');
      return importLoans(args.slice(1));
    case 'link-code':
      return linkCode(args);
    case 'officers':
      return officersCommand(args);
    case 'jobs':
      return runJobCommand(args);
    case 'keys':
      return keysCommand(args);
    case 'holidays':
      return holidaysCommand(args);
    case 'db':
      if (args[0] !== 'migrate') throw new UsageError('คำสั่งที่รองรับ: db migrate');
      return withServices(async () => {
        out('ฐานข้อมูลเป็นปัจจุบันแล้ว (migrations applied)');
        return 0;
      });
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`ไม่รู้จักคำสั่ง "${command}"`);
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof DomainError) {
      process.stderr.write(`ไม่สำเร็จ: ${error.userMessage}\n`);
      process.exit(1);
    }
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`เกิดข้อผิดพลาด: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
