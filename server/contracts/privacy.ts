// The borrower's PDPA rights in the mini-app: a copy of what the fund holds about her, and unlinking her LINE account.
// Shared by the HTTP API and the mini-app (zod only).
import { z } from 'zod';

const isoInstant = z.string();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const satang = z.number().int();

export const dataCopySchema = z.object({
  /** When this copy was made. */
  generatedAt: isoInstant,
  person: z.object({
    fullName: z.string(),
    /** Her own national ID, in full: it is her data. */
    nationalId: z.string(),
    phone: z.string().nullable(),
    area: z.string(),
  }),
  lineAccount: z.object({ lineUserId: z.string(), linkedAt: isoInstant }).nullable(),
  loans: z.array(
    z.object({
      contractNo: z.string(),
      principal: satang,
      annualInterestBp: z.number().int(),
      frequency: z.string(),
      paidTotal: satang,
      litigation: z.boolean(),
      measure: z.string().nullable(),
      installments: z.array(z.object({ seq: z.number().int(), dueOn: localDate, principal: satang, interest: satang, paid: satang })),
    }),
  ),
  payments: z.array(z.object({ contractNo: z.string(), amount: satang, recordedAt: isoInstant, source: z.string(), sourceLabel: z.string() })),
  applications: z.array(
    z.object({
      id: z.number().int(),
      contractNo: z.string(),
      measureTitle: z.string(),
      status: z.string(),
      /** Still under review or waiting for her documents. */
      open: z.boolean(),
      reason: z.string(),
      phone: z.string(),
      submittedAt: isoInstant,
      documents: z.number().int(),
      history: z.array(z.object({ at: isoInstant, status: z.string(), note: z.string().nullable() })),
    }),
  ),
  /** What officers recorded about contacting her (the 5 ต. log) and the payments she promised. */
  followUps: z.array(
    z.object({
      on: localDate,
      kind: z.string(),
      outcome: z.string(),
      note: z.string().nullable(),
      nextActionOn: localDate.nullable(),
      officer: z.string(),
      promise: z.object({ amount: satang, promisedOn: localDate, status: z.string() }).nullable(),
    }),
  ),
  /** Transfer slips she sent in the chat and what officers decided (absent in copies made before slips existed). */
  slips: z.array(z.object({ receivedAt: isoInstant, status: z.string(), reference: z.string().nullable(), rejectReason: z.string().nullable() })).optional(),
  messages: z.array(
    z.object({ kind: z.string(), kindLabel: z.string(), status: z.string(), statusLabel: z.string(), createdAt: isoInstant, sentAt: isoInstant.nullable() }),
  ),
  /** Who looked at or changed her data, and when (the fund's audit trail about her). */
  accessLog: z.array(z.object({ at: isoInstant, who: z.string(), action: z.string(), what: z.string() })),
});
export type DataCopy = z.infer<typeof dataCopySchema>;

export const unlinkResponseSchema = z.object({ unlinked: z.boolean() });
export type UnlinkResponse = z.infer<typeof unlinkResponseSchema>;
