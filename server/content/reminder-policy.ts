// Loads the reminder policy (offsets, contact hours, texts) from reminder-policy.th.json, validated.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseClockTime, type ContactHours } from '../domain/contact-policy.ts';
import type { BorrowerReminderKind, ReminderOffsets } from '../domain/reminder-policy.ts';

const kinds = ['due_soon', 'due_today', 'overdue_1', 'overdue_7', 'overdue_30', 'overdue_repeat', 'keep_paying'] as const;
const hoursSchema = z.object({ from: z.string(), until: z.string() });

const policySchema = z.object({
  dueSoonDaysBefore: z.number().int().min(1).max(30),
  overdueDaysAfter: z.array(z.number().int().min(1)).min(1),
  overdueRepeatEveryDays: z.number().int().min(1),
  contactHours: z.object({ weekday: hoursSchema, weekendOrHoliday: hoursSchema }),
  urgency: z.record(z.enum(kinds), z.number().int()),
  texts: z.record(z.enum(kinds), z.string().min(1)),
});

export interface ReminderPolicy {
  offsets: ReminderOffsets;
  contactHours: ContactHours;
  texts: Record<BorrowerReminderKind, string>;
}

export function parseReminderPolicy(json: unknown): ReminderPolicy {
  const p = policySchema.parse(json);
  const sorted = [...p.overdueDaysAfter].sort((a, b) => a - b);
  return {
    offsets: {
      dueSoonDaysBefore: p.dueSoonDaysBefore,
      overdueDaysAfter: sorted,
      overdueRepeatEveryDays: p.overdueRepeatEveryDays,
      urgency: p.urgency as Record<BorrowerReminderKind, number>,
    },
    contactHours: {
      weekday: { from: parseClockTime(p.contactHours.weekday.from), until: parseClockTime(p.contactHours.weekday.until) },
      weekendOrHoliday: { from: parseClockTime(p.contactHours.weekendOrHoliday.from), until: parseClockTime(p.contactHours.weekendOrHoliday.until) },
    },
    texts: p.texts as Record<BorrowerReminderKind, string>,
  };
}

let cached: ReminderPolicy | undefined;

export function loadReminderPolicy(): ReminderPolicy {
  cached ??= parseReminderPolicy(JSON.parse(readFileSync(new URL('./reminder-policy.th.json', import.meta.url), 'utf8')));
  return cached;
}
