// Loads the officers' choices when deciding in chat (rejection reasons, documents to ask for) from
// enrollment-decisions.th.json, validated.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** LINE's limit on a quick-reply button's label. */
export const QUICK_REPLY_LABEL_MAX = 20;

const choice = z.object({ label: z.string().min(2).max(200), short: z.string().min(1).max(QUICK_REPLY_LABEL_MAX) });
const decisionsSchema = z.object({
  rejectionReasons: z.array(choice).min(1).max(8),
  documents: z.array(choice.extend({ code: z.string().regex(/^[a-z_]+$/) })).min(1).max(8),
});

export type DecisionChoices = z.infer<typeof decisionsSchema>;

let cached: DecisionChoices | undefined;

export function loadDecisionChoices(): DecisionChoices {
  cached ??= decisionsSchema.parse(JSON.parse(readFileSync(new URL('./enrollment-decisions.th.json', import.meta.url), 'utf8')));
  return cached;
}
