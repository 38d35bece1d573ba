// Operator commands: `npm run cli -- <command>`. Thin: parse arguments, call a service, print the outcome.
// Logs go to stderr so stdout carries only results (a link code is always stdout's last line).
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { createContext, type AppContext } from '../context.ts';
import { describeJobSummary, isJobName, JOB_NAMES } from '../services/job-runner.service.ts';
import { clockStartingAt, type Clock } from '../services/ports.ts';
import { StartupError } from '../startup-error.ts';
import { DomainError } from '../domain/errors.ts';
import { formatThaiDateTime } from '../domain/local-date.ts';
import { REDACT_PATHS } from '../logger.ts';
import type { OfficerRole } from '../db/schema.ts';

const USAGE = `การใช้งาน (usage): npm run cli -- <คำสั่ง>

  import loans FILE.csv
      นำเข้าทะเบียนเงินกู้จากไฟล์ CSV (UTF-8) — ตรวจทุกแถวก่อน ถ้ามีแถวผิดจะไม่นำเข้าเลย
  link-code borrower --national-id ID | --contract NO
      ออกรหัสผูกบัญชี LINE ให้ผู้กู้ (บรรทัดสุดท้ายคือรหัส)
  link-code officer --name NAME --role tambon|district|province|department|admin [--area "จังหวัด[/อำเภอ[/ตำบล]]"] [--phone 08xxxxxxxx]
      ลงทะเบียนเจ้าหน้าที่และออกรหัสผูกบัญชี (บรรทัดสุดท้ายคือรหัส)
  jobs run borrower-reminders|officer-digest|dispatch [--at 2026-12-01T08:00:00+07:00]
      รันงานหนึ่งครั้งเสมือนนาฬิกาอยู่ที่ --at: วางแผนข้อความที่ถึงกำหนด ส่ง รอผลการส่ง แล้วสรุป
  db migrate
      ปรับโครงสร้างฐานข้อมูลให้เป็นปัจจุบัน
`;

class UsageError extends Error {}

const OFFICER_ROLES: OfficerRole[] = ['tambon', 'district', 'province', 'department', 'admin'];

function out(line = '') {
  process.stdout.write(`${line}\n`);
}

/** The app's services for one command. Without LINE settings nothing is sent from here: jobs only plan. */
async function withServices<T>(run: (context: AppContext) => Promise<T>, clock?: Clock): Promise<T> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2));
  const context = await createContext(config, { log, ...(clock ? { clock } : {}) }, { withoutLine: 'plan-only' });
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

async function importLoans(file: string | undefined): Promise<number> {
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
      .importStream(stream, { actor: 'cli', fileName: path.basename(file), at: context.clock.now() })
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
      `ผู้กู้ ${result.borrowersTotal} ราย (ใหม่ ${result.borrowersCreated}) งวดผ่อน ${result.installmentsWritten} งวด`);
    return 0;
  });
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
    return withServices(async (context) => {
      const issued = await context.services.linking.issueBorrowerCode(
        values['national-id'] !== undefined ? { nationalId: values['national-id'] } : { contractNo: values.contract! },
        { actor: 'cli', at: context.clock.now() },
      );
      out(`รหัสผูกบัญชีของผู้กู้ ${issued.borrowerName} ใช้ได้ครั้งเดียว ถึง ${formatThaiDateTime(issued.expiresAt)}`);
      out(`ให้ผู้กู้พิมพ์รหัสนี้ในแชท LINE ของกองทุน:`);
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
      out(`ลงทะเบียนเจ้าหน้าที่ ${values.name} (${role}${values.area ? ` · ${values.area}` : ''}) แล้ว รหัสใช้ได้ครั้งเดียว ถึง ${formatThaiDateTime(issued.expiresAt)}`);
      out(`ให้เจ้าหน้าที่พิมพ์รหัสนี้ในแชท LINE ของกองทุน:`);
      out(issued.code);
      return 0;
    });
  }
  throw new UsageError('link-code ต้องตามด้วย borrower หรือ officer');
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
    out(describeJobSummary(summary));
    if (!jobs.canDispatch) out('ยังไม่ได้ตั้งค่า LINE (LINE_CHANNEL_SECRET) จึงวางแผนไว้ในคิวเท่านั้น — เซิร์ฟเวอร์จะส่งเมื่อทำงาน');
    return 0;
  }, clockStartingAt(at));
}

async function runCli(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'import':
      if (args[0] !== 'loans') throw new UsageError('คำสั่งที่รองรับ: import loans FILE.csv');
      return importLoans(args[1]);
    case 'link-code':
      return linkCode(args);
    case 'jobs':
      return runJobCommand(args);
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
