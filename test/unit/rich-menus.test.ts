import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACTION_LABEL_MAX,
  CHAT_BAR_TEXT_MAX,
  loadRichMenuContent,
  parseRichMenuContent,
  RICH_MENU_POSTBACK_ACTIONS,
  RICH_MENU_ROLES,
  type RichMenuRole,
  type RichMenuSpec,
} from '../../server/content/rich-menu-content.ts';
import { decodeChatAction, decodePostbackFields, POSTBACK_MAX_LENGTH } from '../../server/line/postback.ts';
import {
  parseRichMenuName,
  readPngInfo,
  RICH_MENU_IMAGE_MAX_BYTES,
  richMenuDefinitions,
  richMenuImageComment,
  richMenuImageUrl,
  type LineRichMenu,
} from '../../server/line/rich-menus.ts';

const LIFF_URL = 'https://liff.line.me/1234567890-AbCdEfGh';
const definitions = richMenuDefinitions(LIFF_URL);
const menus = RICH_MENU_ROLES.map((role) => [role, definitions[role].richMenu] as const);
/** Actions the rich menus introduce before the postback codec and the conversation service answer them. */
const AWAITING_CODEC = new Set(['next_payment', 'pending_reviews']);

function withLabel(role: RichMenuRole, index: number, label: string): Record<RichMenuRole, RichMenuSpec> {
  const content = structuredClone(loadRichMenuContent());
  content[role].buttons[index]!.label = label;
  return content;
}

function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('rich menu objects', () => {
  it.each(menus)('%s: the areas tile the whole image, none outside it, none overlapping', (_role, menu) => {
    const { width, height } = menu.size;
    expect([2500]).toContain(width);
    expect([1686, 843]).toContain(height);
    for (const { bounds } of menu.areas) {
      expect(bounds.x).toBeGreaterThanOrEqual(0);
      expect(bounds.y).toBeGreaterThanOrEqual(0);
      expect(bounds.width).toBeGreaterThan(0);
      expect(bounds.height).toBeGreaterThan(0);
      expect(bounds.x + bounds.width).toBeLessThanOrEqual(width);
      expect(bounds.y + bounds.height).toBeLessThanOrEqual(height);
      expect([bounds.x, bounds.y, bounds.width, bounds.height].every(Number.isInteger)).toBe(true);
    }
    menu.areas.forEach((a, i) =>
      menu.areas.slice(i + 1).forEach((b) => {
        const apart =
          a.bounds.x + a.bounds.width <= b.bounds.x ||
          b.bounds.x + b.bounds.width <= a.bounds.x ||
          a.bounds.y + a.bounds.height <= b.bounds.y ||
          b.bounds.y + b.bounds.height <= a.bounds.y;
        expect(apart).toBe(true);
      }),
    );
    // Inside and disjoint, so covering everything means the areas add up to the image.
    expect(menu.areas.reduce((sum, { bounds }) => sum + bounds.width * bounds.height, 0)).toBe(width * height);
  });

  it.each(menus)('%s: keeps within LINE limits', (_role, menu) => {
    expect(menu.chatBarText.length).toBeGreaterThan(0);
    expect(menu.chatBarText.length).toBeLessThanOrEqual(CHAT_BAR_TEXT_MAX);
    expect(menu.areas.length).toBeLessThanOrEqual(20);
    expect(menu.name.length).toBeLessThanOrEqual(300);
    for (const { action } of menu.areas) {
      expect(action.label.length).toBeLessThanOrEqual(ACTION_LABEL_MAX);
      expect(action.label).not.toContain('|');
      if (action.type === 'postback') {
        expect(action.data.length).toBeLessThanOrEqual(POSTBACK_MAX_LENGTH);
        expect(action.displayText.length).toBeLessThanOrEqual(300);
      } else {
        expect(action.uri.length).toBeLessThanOrEqual(1000);
      }
    }
  });

  it.each(menus)('%s: every postback decodes to a known action name', (_role, menu) => {
    for (const { action } of menu.areas) {
      if (action.type !== 'postback') continue;
      const name = decodePostbackFields(action.data).action;
      expect(RICH_MENU_POSTBACK_ACTIONS).toContain(name);
      const decoded = decodeChatAction(action.data);
      if (AWAITING_CODEC.has(name!)) expect(decoded === undefined || decoded.action === name).toBe(true);
      else expect(decoded).toEqual({ action: name });
    }
  });

  it('has the buttons each role needs, in order, and opens the LIFF pages under the given URL', () => {
    const summary = (menu: LineRichMenu) => menu.areas.map(({ action }) => (action.type === 'postback' ? action.data : action.uri));
    expect(summary(definitions.unlinked.richMenu)).toEqual(['action=link_help', 'action=measures', 'action=pay', 'action=contact']);
    expect(summary(definitions.borrower.richMenu)).toEqual([
      'action=debt',
      'action=next_payment',
      'action=measures',
      'action=pay',
      `${LIFF_URL}/applications`,
      'action=contact',
    ]);
    expect(summary(definitions.officer.richMenu)).toEqual(['action=summary', 'action=lookup_help', 'action=pending_reviews', `${LIFF_URL}/officer/work`]);
    expect(richMenuDefinitions(`${LIFF_URL}/`).borrower.richMenu.areas[4]!.action).toMatchObject({ uri: `${LIFF_URL}/applications` });
  });

  it('says the Thai label aloud and shows it as the user\'s message, without the image\'s line-break mark', () => {
    const contact = definitions.borrower.richMenu.areas[5]!.action;
    expect(contact).toEqual({ type: 'postback', label: 'ติดต่อเจ้าหน้าที่', data: 'action=contact', displayText: 'ติดต่อเจ้าหน้าที่' });
  });

  it('refuses a LIFF URL that is not https', () => {
    expect(() => richMenuDefinitions('http://liff.line.me/x')).toThrow(/https/);
  });
});

describe('rich menu images', () => {
  it.each(RICH_MENU_ROLES)('%s: the committed PNG matches the menu size and stays under 1 MB', (role) => {
    const png = readFileSync(richMenuImageUrl(role));
    const { width, height } = readPngInfo(png);
    expect({ width, height }).toEqual(definitions[role].richMenu.size);
    expect(png.length).toBeLessThanOrEqual(RICH_MENU_IMAGE_MAX_BYTES);
    expect(definitions[role].image.equals(png)).toBe(true);
  });

  it.each(RICH_MENU_ROLES)('%s: the committed PNG was drawn from the current content (else: npm run build:rich-menus)', (role) => {
    const { comment } = readPngInfo(readFileSync(richMenuImageUrl(role)));
    expect(comment).toBe(richMenuImageComment(loadRichMenuContent()[role]));
  });

  it('refuses an image whose size differs from the menu', () => {
    const half = structuredClone(loadRichMenuContent());
    half.borrower.size = { width: 2500, height: 843 };
    expect(() => richMenuDefinitions(LIFF_URL, { content: half })).toThrow(/build:rich-menus/);
  });

  it('prints every label and sub-label in colours an ageing eye reads (WCAG AAA for labels)', () => {
    for (const role of RICH_MENU_ROLES) {
      for (const { colors } of loadRichMenuContent()[role].buttons) {
        expect(contrast(colors.text, colors.background)).toBeGreaterThanOrEqual(7);
        expect(contrast(colors.subText, colors.background)).toBeGreaterThanOrEqual(7);
        expect(contrast(colors.icon, colors.background)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});

describe('rich menu hash and name', () => {
  it('is stable for the same content, images and LIFF URL', () => {
    const again = richMenuDefinitions(LIFF_URL);
    for (const role of RICH_MENU_ROLES) {
      expect(again[role].hash).toBe(definitions[role].hash);
      expect(again[role].richMenu).toEqual(definitions[role].richMenu);
    }
  });

  it('changes for the menu whose label changed, and only for it', () => {
    const changed = richMenuDefinitions(LIFF_URL, { content: withLabel('borrower', 0, 'ยอดหนี้ของฉัน') });
    expect(changed.borrower.hash).not.toBe(definitions.borrower.hash);
    expect(changed.borrower.richMenu.name).not.toBe(definitions.borrower.richMenu.name);
    expect(changed.unlinked.hash).toBe(definitions.unlinked.hash);
    expect(changed.officer.hash).toBe(definitions.officer.hash);
  });

  it('changes when only the image changes', () => {
    const original = (role: RichMenuRole) => readFileSync(richMenuImageUrl(role));
    const changed = richMenuDefinitions(LIFF_URL, { readImage: (role) => (role === 'officer' ? Buffer.concat([original(role), Buffer.from([0])]) : original(role)) });
    expect(changed.officer.hash).not.toBe(definitions.officer.hash);
    expect(changed.borrower.hash).toBe(definitions.borrower.hash);
  });

  it('changes with the LIFF URL only for menus that link into the LIFF app', () => {
    const other = richMenuDefinitions('https://liff.line.me/9999999999-Other');
    expect(other.borrower.hash).not.toBe(definitions.borrower.hash);
    expect(other.officer.hash).not.toBe(definitions.officer.hash);
    expect(other.unlinked.hash).toBe(definitions.unlinked.hash);
  });

  it('names each menu by role and short hash, and reads that name back', () => {
    for (const role of RICH_MENU_ROLES) {
      const { richMenu, hash } = definitions[role];
      expect(richMenu.name).toBe(`wdf-${role}-${hash.slice(0, 6)}`);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(parseRichMenuName(richMenu.name)).toEqual({ role, shortHash: hash.slice(0, 6) });
    }
    expect(parseRichMenuName('wdf-guest-abcdef')).toBeUndefined();
    expect(parseRichMenuName('someone-elses-menu')).toBeUndefined();
  });
});

describe('rich menu content file', () => {
  const json = () => JSON.parse(readFileSync(new URL('../../server/content/rich-menus.th.json', import.meta.url), 'utf8'));

  it('rejects a chat-bar text over 14 characters', () => {
    const content = json();
    content.menus.officer.chatBarText = 'เมนูเจ้าหน้าที่'; // 15 characters: Thai marks count too
    expect(() => parseRichMenuContent(content)).toThrow();
  });

  it('rejects an unknown postback action, a grid that does not match the buttons, and an unknown palette', () => {
    const unknownAction = json();
    unknownAction.menus.borrower.buttons[0].action = { postback: 'delete_everything' };
    expect(() => parseRichMenuContent(unknownAction)).toThrow();
    const badGrid = json();
    badGrid.menus.borrower.grid = { columns: 2, rows: 2 };
    expect(() => parseRichMenuContent(badGrid)).toThrow(/one button per grid cell/);
    const badPalette = json();
    badPalette.menus.unlinked.buttons[0].palette = 'neon';
    expect(() => parseRichMenuContent(badPalette)).toThrow(/unknown palette/);
  });
});
