import { describe, expect, it } from 'vitest';
import { divideRounded, formatSatang, parseBahtToSatang } from '../../server/domain/money.ts';
import {
  addMonths,
  bangkokClock,
  bangkokDate,
  bangkokInstant,
  daysBetween,
  formatThaiDate,
  formatThaiDateTime,
  parseRegistryDate,
} from '../../server/domain/local-date.ts';
import { formatThaiPhone } from '../../server/domain/phone.ts';
import { isValidNationalId, maskNationalId, nationalIdCheckDigit } from '../../server/domain/thai-national-id.ts';

describe('money', () => {
  it('parses baht with thousands separators and satang', () => {
    expect(parseBahtToSatang('1,234.50')).toBe(123_450);
    expect(parseBahtToSatang('1234.5')).toBe(123_450);
    expect(parseBahtToSatang('฿12,000')).toBe(1_200_000);
    expect(parseBahtToSatang('0')).toBe(0);
    expect(parseBahtToSatang('-5.25')).toBe(-525);
    // As people type them: Thai digits, the word for baht.
    expect(parseBahtToSatang('๙,๐๐๐')).toBe(900_000);
    expect(parseBahtToSatang('8000 บาท')).toBe(800_000);
    expect(parseBahtToSatang('1,500บาท')).toBe(150_000);
  });

  it('rejects text that is not an amount', () => {
    for (const bad of ['', 'abc', '1,23.00', '12.345', '1.2.3', '12,34', ' ', '1e5', 'บาท', 'พันบาท']) expect(parseBahtToSatang(bad), bad).toBeUndefined();
  });

  it('formats phone numbers as people read them', () => {
    expect(formatThaiPhone('0812345678')).toBe('081-234-5678');
    expect(formatThaiPhone('021234567')).toBe('02-123-4567');
    expect(formatThaiPhone('039511234')).toBe('039-511-234');
    expect(formatThaiPhone('+66812345678')).toBe('+66812345678');
  });

  it('formats satang as ฿1,234.50', () => {
    expect(formatSatang(123_450)).toBe('฿1,234.50');
    expect(formatSatang(5)).toBe('฿0.05');
    expect(formatSatang(100_000_000)).toBe('฿1,000,000.00');
    expect(formatSatang(-2_550)).toBe('-฿25.50');
  });

  it('rounds integer division half away from zero', () => {
    expect(divideRounded(5, 2)).toBe(3);
    expect(divideRounded(4, 3)).toBe(1);
    expect(divideRounded(-5, 2)).toBe(-3);
    expect(divideRounded(1_234_567, 1_200)).toBe(1029);
  });
});

describe('local dates', () => {
  it('reads registry dates in either calendar', () => {
    expect(parseRegistryDate('2026-01-15')).toBe('2026-01-15');
    expect(parseRegistryDate('2569-01-15')).toBe('2026-01-15');
    expect(parseRegistryDate('2567-02-29')).toBe('2024-02-29');
    expect(parseRegistryDate('2569-02-29')).toBeUndefined();
    expect(parseRegistryDate('2026-13-01')).toBeUndefined();
    // As Thai spreadsheets write them (found in an operator's trial: every row of her export was refused).
    expect(parseRegistryDate('15/01/2026')).toBe('2026-01-15');
    expect(parseRegistryDate('15/01/2568')).toBe('2025-01-15');
    expect(parseRegistryDate('15/1/2568')).toBe('2025-01-15');
    expect(parseRegistryDate('15-01-2568')).toBe('2025-01-15');
    expect(parseRegistryDate('2568/01/15')).toBe('2025-01-15');
    expect(parseRegistryDate('๑๕/๐๑/๒๕๖๘')).toBe('2025-01-15');
    expect(parseRegistryDate('๒๕๖๘-๐๑-๑๕')).toBe('2025-01-15');
    expect(parseRegistryDate('1 ม.ค. 2568')).toBe('2025-01-01');
    expect(parseRegistryDate('1 มกราคม 2568')).toBe('2025-01-01');
    expect(parseRegistryDate('29 ก.พ. 2567')).toBe('2024-02-29');
    // Day first, never month first; a day the calendar lacks, a two-digit year, an unknown month: refused.
    expect(parseRegistryDate('02/03/2569')).toBe('2026-03-02');
    expect(parseRegistryDate('31/04/2569')).toBeUndefined();
    expect(parseRegistryDate('15/01/68')).toBeUndefined();
    expect(parseRegistryDate('1 มก. 2568')).toBeUndefined();
    expect(parseRegistryDate('01/15/2026')).toBeUndefined();
  });

  it('takes the calendar day in Bangkok, not UTC', () => {
    expect(bangkokDate(new Date('2026-11-23T16:59:59Z'))).toBe('2026-11-23');
    expect(bangkokDate(new Date('2026-11-23T17:00:00Z'))).toBe('2026-11-24');
    expect(bangkokClock(new Date('2026-11-23T13:01:00Z'))).toEqual({ date: '2026-11-23', minuteOfDay: 20 * 60 + 1, weekday: 1 });
    expect(bangkokInstant('2026-11-24', 8 * 60).toISOString()).toBe('2026-11-24T01:00:00.000Z');
  });

  it('adds months keeping the anchor day', () => {
    expect(addMonths('2026-01-31', 1, 31)).toBe('2026-02-28');
    expect(addMonths('2026-01-31', 2, 31)).toBe('2026-03-31');
    expect(addMonths('2024-01-31', 1, 31)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-15', -4)).toBe('2025-11-15');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2026-04-15', '2026-11-23')).toBe(222);
    expect(daysBetween('2026-11-23', '2026-11-23')).toBe(0);
  });

  it('shows dates in the Buddhist Era', () => {
    expect(formatThaiDate('2026-11-23')).toBe('23 พ.ย. 2569');
    expect(formatThaiDate('2027-01-05', 'long')).toBe('5 มกราคม 2570');
    expect(formatThaiDateTime(new Date('2026-11-23T01:30:00Z'))).toBe('23 พ.ย. 2569 เวลา 08.30 น.');
  });
});

describe('Thai national ID', () => {
  it('checks the mod-11 check digit', () => {
    const first12 = '110170020345';
    const valid = `${first12}${nationalIdCheckDigit(first12)}`;
    expect(isValidNationalId(valid)).toBe(true);
    expect(isValidNationalId(`${first12}${(nationalIdCheckDigit(first12) + 1) % 10}`)).toBe(false);
    expect(isValidNationalId('1-1017-00203-45-' + nationalIdCheckDigit(first12))).toBe(true);
    expect(isValidNationalId('123')).toBe(false);
  });

  it('masks all but the first and last three digits', () => {
    expect(maskNationalId('1101700203451')).toBe('1-xxxx-xxxxx-45-1');
  });
});
