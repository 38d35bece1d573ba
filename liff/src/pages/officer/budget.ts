// จัดสรรงบประมาณ (seed 004 §4.1): a province officer splits a subsidy budget across the districts by the number of
// tambons, of members, the overdue rate (direct or inverse) or a weighted mix; the table is in whole baht and adds up
// to the budget exactly; saved tables are kept with who and when, and each downloads as an XLSX.
import {
  ALLOCATION_BASIS_KEYS,
  ALLOCATION_BASIS_THAI,
  type AllocationBasisKey,
  type AllocationPage,
  type AllocationResult,
  type SavedAllocationView,
} from '../../../../server/contracts/reports.ts';
import { api, ApiError, downloadFile } from '../../api.ts';
import { h, replace } from '../../dom.ts';
import { formatInstantDay, formatThaiDate } from '../../format.ts';
import type { Page } from '../../app-context.ts';
import { busy, button, card, field, notice, showFieldErrors, showFormErrors } from '../../ui.ts';
import { section } from './parts.ts';

const baht = (n: number) => `฿${n.toLocaleString('en-US')}`;
const share = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;

/** The bases an officer picks with one tap; "ผสม" opens the weights. */
const PRESETS: Array<{ key: string; label: string; weights: Partial<Record<AllocationBasisKey, number>> }> = [
  ...ALLOCATION_BASIS_KEYS.map((key) => ({ key, label: ALLOCATION_BASIS_THAI[key].title, weights: { [key]: 100 } })),
  { key: 'mix', label: 'ผสมหลายฐาน', weights: { tambons: 40, members: 40, overdue_direct: 20 } },
];

function allocationTable(result: AllocationResult): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'report-table budget-table', 'data-testid': 'allocation-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'อำเภอ'), h('th', { scope: 'col' }, 'งบ (บาท) · สัดส่วน'))),
      h(
        'tbody',
        null,
        result.districts.map((d) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, d.title, h('small', { class: 'muted' }, `${d.tambons} ตำบล · ${d.members.toLocaleString('th-TH')} คน · หนี้เกินกำหนด ${d.overdueRatePercent.toFixed(2)}%`)),
            h('td', null, baht(d.amountBaht), h('small', { class: 'muted share' }, share(d.share))),
          ),
        ),
      ),
      h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'รวม'), h('td', null, baht(result.totalBaht), h('small', { class: 'muted share' }, '100%')))),
    ),
  );
}

export const budgetPage: Page = async (context) => {
  context.setTitle('จัดสรรงบประมาณ');
  const page = await api<AllocationPage>('GET', '/api/liff/officer/budget');
  let preset = PRESETS[0]!;
  const budgetInput = h('input', { type: 'text', inputmode: 'numeric', name: 'budgetBaht', id: 'field-budgetBaht', placeholder: 'เช่น 1,000,000', autocomplete: 'off' });
  const titleInput = h('input', { type: 'text', name: 'title', id: 'field-title', placeholder: 'เช่น งบเงินอุดหนุน ปีงบประมาณ 2570', maxlength: 200 });
  const weightInputs = Object.fromEntries(
    ALLOCATION_BASIS_KEYS.map((key) => [key, h('input', { type: 'text', inputmode: 'numeric', name: `weight-${key}`, value: String(preset.weights[key] ?? 0), 'aria-label': ALLOCATION_BASIS_THAI[key].title })]),
  ) as Record<AllocationBasisKey, HTMLInputElement>;
  const weightsBox = h(
    'div',
    { class: 'weights', hidden: true },
    h('p', { class: 'muted' }, 'น้ำหนักของแต่ละฐาน (รวมกันเท่าใดก็ได้ ระบบคิดเป็นสัดส่วน)'),
    ALLOCATION_BASIS_KEYS.map((key) => h('label', { class: 'weight-row' }, h('span', null, ALLOCATION_BASIS_THAI[key].title), weightInputs[key])),
  );
  const explain = h('p', { class: 'muted', 'aria-live': 'polite' }, ALLOCATION_BASIS_THAI.tambons.explain);
  const presetChips = h(
    'div',
    { class: 'chip-choices', role: 'radiogroup', 'aria-label': 'ฐานการจัดสรร' },
    PRESETS.map((p) =>
      h(
        'label',
        { class: 'chip-choice' },
        h('input', {
          type: 'radio',
          name: 'basis',
          value: p.key,
          checked: p === preset,
          onChange: () => {
            preset = p;
            for (const key of ALLOCATION_BASIS_KEYS) weightInputs[key].value = String(p.weights[key] ?? 0);
            weightsBox.hidden = p.key !== 'mix';
            explain.textContent = p.key === 'mix' ? 'แต่ละอำเภอได้ตามผลรวมถ่วงน้ำหนักของสัดส่วนในแต่ละฐาน' : ALLOCATION_BASIS_THAI[p.key as AllocationBasisKey].explain;
          },
        }),
        h('span', null, p.label),
      ),
    ),
  );
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true });

  const request = () => ({
    budgetBaht: Number(budgetInput.value.replace(/[,\s฿]/g, '')) || budgetInput.value,
    weights: Object.fromEntries(ALLOCATION_BASIS_KEYS.map((key) => [key, Number(weightInputs[key].value.replace(/[,\s%]/g, '')) || 0])),
    title: titleInput.value.trim() || undefined,
  });
  const failed = (error: unknown) => {
    if (error instanceof ApiError && error.errors.length) {
      showFormErrors(form, error.errors, result);
      return;
    }
    result.replaceChildren(notice(error instanceof ApiError ? error.message : 'คำนวณไม่สำเร็จค่ะ', 'error'));
  };
  const savedList = h('div', { class: 'saved-allocations' });
  const drawSaved = (saved: SavedAllocationView[]) =>
    savedList.replaceChildren(
      ...(saved.length
        ? saved.map((s) =>
            h(
              'div',
              { class: 'area-row' },
              h('span', { class: 'area-name' }, s.title, h('small', { class: 'muted' }, `${baht(s.budgetBaht)} · ${s.basisTitle} · บันทึกโดย ${s.createdByName} ${formatInstantDay(s.createdAt)}`)),
              button('ไฟล์ Excel', (event) => {
                void busy(event.currentTarget as HTMLButtonElement, '…', () => downloadFile(`/api/liff/officer/budget/allocations/${s.id}/xlsx`, `wdf-budget-${s.id}.xlsx`)).catch(failed);
              }, 'secondary', { class: 'btn secondary small', 'data-testid': `allocation-xlsx-${s.id}` }),
            ),
          )
        : [h('p', { class: 'muted empty' }, 'ยังไม่มีรายการที่บันทึกค่ะ')]),
    );
  drawSaved(page.saved);
  const savedSection = section('รายการที่บันทึกไว้', page.saved.length, savedList);
  const savedCount = savedSection.querySelector('.count') as HTMLElement;

  // The table on screen is what is saved: the budget and weights it was calculated with, whatever the form says now.
  const staleNote = h('p', { class: 'amber', 'aria-live': 'polite' });
  form.addEventListener('input', () => {
    if (result.querySelector('[data-testid="save-allocation"]')) staleNote.textContent = 'ค่าในแบบฟอร์มเปลี่ยนแล้ว ตารางนี้ยังคำนวณจากค่าเดิม กด "คำนวณ" อีกครั้งเพื่อใช้ค่าใหม่ (ปุ่มบันทึกจะบันทึกตารางที่เห็นนี้)';
  });
  const preview = button('คำนวณ', (event) => {
    showFieldErrors(form, []);
    void busy(event.currentTarget as HTMLButtonElement, 'กำลังคำนวณ…', async () => {
      const shown = request();
      const allocation = await api<AllocationResult>('POST', '/api/liff/officer/budget/preview', { body: shown });
      staleNote.textContent = '';
      result.replaceChildren(
        card(
        h('h2', { class: 'section-title' }, 'ผลการจัดสรร'),
        h('p', null, h('strong', null, allocation.basisTitle), ` · ข้อมูล ณ ${formatThaiDate(allocation.asOf)}`),
        staleNote,
        allocationTable(allocation),
        button('บันทึกการจัดสรรนี้', (saveEvent) => {
          void busy(saveEvent.currentTarget as HTMLButtonElement, 'กำลังบันทึก…', async () => {
            const saved = await api<SavedAllocationView>('POST', '/api/liff/officer/budget/allocations', { body: { ...shown, title: titleInput.value.trim() || undefined } });
            page.saved.unshift(saved);
            drawSaved(page.saved);
            savedCount.textContent = page.saved.length.toLocaleString('th-TH');
            result.replaceChildren(notice(`บันทึก "${saved.title}" แล้วค่ะ ดาวน์โหลดไฟล์ Excel ได้จากรายการด้านล่าง`, 'success'));
          }).catch(failed);
        }, 'primary', { 'data-testid': 'save-allocation' }),
        ),
      );
      result.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }).catch(failed);
  }, 'primary', { 'data-testid': 'preview-allocation' });

  form.append(
    field('budgetBaht', 'งบประมาณเงินอุดหนุน (บาท)', budgetInput),
    h('div', { class: 'field', 'data-field': 'weights' }, h('label', null, 'ฐานการจัดสรร'), presetChips, explain, weightsBox, h('p', { class: 'field-error', 'data-error-for': 'weights', role: 'alert' })),
    field('title', 'ชื่อรายการ (ไม่บังคับ)', titleInput),
    preview,
  );
  replace(
    context.root,
    h('p', { class: 'muted intro' }, `${page.provinceTitle} · ${page.districts.length} อำเภอ · ข้อมูล ณ ${formatThaiDate(page.asOf)}`),
    card(form),
    result,
    section(
      'อำเภอและฐานข้อมูล',
      page.districts.length,
      h(
        'div',
        { class: 'area-rows' },
        page.districts.map((d) =>
          h(
            'div',
            { class: 'area-row' },
            h('span', { class: 'area-name' }, d.title, h('small', { class: 'muted' }, `${d.tambons} ตำบล · สมาชิก ${d.members.toLocaleString('th-TH')} คน`)),
            h('strong', { class: d.overdueRatePercent < 5 ? 'green' : 'red' }, `${d.overdueRatePercent.toFixed(2)}%`),
          ),
        ),
      ),
      h('p', { class: 'muted' }, 'ตัวเลขด้านขวาคือร้อยละหนี้เกินกำหนดชำระของอำเภอ'),
    ),
    savedSection,
  );
};
