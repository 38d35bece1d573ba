// มาตรการช่วยเหลือ: each measure in plain words, and for each of my loans whether I can apply — and if not, why.
import { h } from '../dom.ts';
import type { Page } from '../app-context.ts';
import { card, linkButton } from '../ui.ts';

export const measuresPage: Page = async (context) => {
  context.setTitle('มาตรการช่วยเหลือ');
  const [measures, me] = await Promise.all([context.measures(), context.me()]);
  context.root.replaceChildren(
    h('p', { class: 'intro' }, 'เลือกมาตรการที่เหมาะกับท่าน ระบบบอกให้ว่าสัญญาไหนสมัครได้ และถ้ายังไม่ได้ เป็นเพราะอะไร'),
    ...measures.map((measure) => {
      const verdicts = me.loans.map((loan) => ({ loan, verdict: loan.eligibility.find((e) => e.measureCode === measure.code) }));
      const eligible = verdicts.filter((v) => v.verdict?.eligible);
      return card(
        h('div', { class: 'card-head' }, h('h2', null, measure.title), measure.kind === 'campaign' ? h('span', { class: 'tag' }, 'รณรงค์') : null),
        h('p', { class: 'lead' }, measure.summary),
        h('details', null, h('summary', null, 'อ่านรายละเอียด'), h('p', null, measure.details)),
        h(
          'ul',
          { class: 'verdicts' },
          verdicts.map(({ loan, verdict }) =>
            h(
              'li',
              { class: verdict?.eligible ? 'yes' : 'no' },
              h('strong', null, verdict?.eligible ? `สัญญา ${loan.contractNo}: สมัครได้` : `สัญญา ${loan.contractNo}: ยังสมัครไม่ได้`),
              verdict?.eligible ? null : h('span', null, verdict?.reasons.join(' ') ?? ''),
            ),
          ),
        ),
        eligible.length > 0
          ? linkButton('สมัครมาตรการนี้', `/liff/apply?measure=${encodeURIComponent(measure.code)}&contract=${encodeURIComponent(eligible[0]!.loan.contractNo)}`)
          : null,
      );
    }),
  );
};
