// Loads the per-role rich menus (labels, actions, colours, grid) from rich-menus.th.json, validated,
// and cuts each menu into its button cells: the image and the tap areas share that one geometry.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const RICH_MENU_ROLES = ['unlinked', 'borrower', 'officer'] as const;
export type RichMenuRole = (typeof RICH_MENU_ROLES)[number];

/** Postback actions a rich-menu button may send; `next_payment` and `pending_reviews` are new with the rich menus. */
export const RICH_MENU_POSTBACK_ACTIONS = [
  'debt',
  'measures',
  'pay',
  'contact',
  'menu',
  'summary',
  'lookup_help',
  'link_help',
  'next_payment',
  'pending_reviews',
] as const;
export type RichMenuPostbackAction = (typeof RICH_MENU_POSTBACK_ACTIONS)[number];

/** Pictograms the image generator knows how to draw. */
export const RICH_MENU_ICONS = ['link', 'heart', 'banknote', 'phone', 'receipt', 'calendar', 'form', 'chart', 'search', 'hourglass', 'checklist'] as const;
export type RichMenuIcon = (typeof RICH_MENU_ICONS)[number];

export const RICH_MENU_WIDTH = 2500;
const RICH_MENU_HEIGHTS = [1686, 843] as const;
export const CHAT_BAR_TEXT_MAX = 14;
/** LINE reads an action's label aloud to users with the phone's accessibility feature on; at most 20 characters. */
export const ACTION_LABEL_MAX = 20;

/** Where a long label may break onto a second line in the image, e.g. "ติดต่อ|เจ้าหน้าที่". LINE never sees it. */
export const LABEL_BREAK = '|';

export function plainLabel(label: string): string {
  return label.replaceAll(LABEL_BREAK, '');
}

const colour = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a #RRGGBB colour');
const paletteSchema = z.object({ background: colour, text: colour, subText: colour, icon: colour });

const actionSchema = z.union([
  z.object({ postback: z.enum(RICH_MENU_POSTBACK_ACTIONS) }).strict(),
  z.object({ liffPath: z.string().regex(/^\/[a-z0-9/_-]*$/, 'a path inside the LIFF app, e.g. /applications') }).strict(),
]);

const buttonSchema = z
  .object({
    label: z
      .string()
      .min(1)
      .refine((label) => plainLabel(label).length <= ACTION_LABEL_MAX, `at most ${ACTION_LABEL_MAX} characters (LINE's action label limit)`)
      .refine((label) => label.split(LABEL_BREAK).length <= 2, 'at most one line break'),
    subLabel: z.string().min(1).optional(),
    icon: z.enum(RICH_MENU_ICONS),
    palette: z.string().min(1),
    action: actionSchema,
  })
  .strict();

const menuSchema = z
  .object({
    chatBarText: z.string().min(1).max(CHAT_BAR_TEXT_MAX),
    selected: z.boolean(),
    height: z.union([z.literal(RICH_MENU_HEIGHTS[0]), z.literal(RICH_MENU_HEIGHTS[1])]),
    grid: z.object({ columns: z.number().int().min(1).max(4), rows: z.number().int().min(1).max(3) }).strict(),
    buttons: z.array(buttonSchema).min(1).max(20),
  })
  .strict()
  .refine((menu) => menu.buttons.length === menu.grid.columns * menu.grid.rows, { message: 'one button per grid cell' });

const contentSchema = z
  .object({
    palettes: z.record(z.string(), paletteSchema),
    frame: colour,
    menus: z.object({ unlinked: menuSchema, borrower: menuSchema, officer: menuSchema }).strict(),
  })
  .strict()
  .superRefine((content, ctx) => {
    for (const role of RICH_MENU_ROLES) {
      content.menus[role].buttons.forEach((button, index) => {
        if (!content.palettes[button.palette]) {
          ctx.addIssue({ code: 'custom', path: ['menus', role, 'buttons', index, 'palette'], message: `unknown palette "${button.palette}"` });
        }
      });
    }
  });

export type RichMenuPalette = z.infer<typeof paletteSchema>;
export type RichMenuButtonAction = z.infer<typeof actionSchema>;

export interface RichMenuButton {
  label: string;
  subLabel?: string;
  icon: RichMenuIcon;
  colors: RichMenuPalette;
  action: RichMenuButtonAction;
}

/** One role's menu as the content file describes it, palettes resolved. */
export interface RichMenuSpec {
  role: RichMenuRole;
  chatBarText: string;
  selected: boolean;
  size: { width: number; height: number };
  grid: { columns: number; rows: number };
  frame: string;
  buttons: RichMenuButton[];
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function parseRichMenuContent(json: unknown): Record<RichMenuRole, RichMenuSpec> {
  const content = contentSchema.parse(json);
  const specOf = (role: RichMenuRole): RichMenuSpec => {
    const menu = content.menus[role];
    return {
      role,
      chatBarText: menu.chatBarText,
      selected: menu.selected,
      size: { width: RICH_MENU_WIDTH, height: menu.height },
      grid: menu.grid,
      frame: content.frame,
      buttons: menu.buttons.map(({ palette, ...button }) => ({ ...button, colors: content.palettes[palette]! })),
    };
  };
  return { unlinked: specOf('unlinked'), borrower: specOf('borrower'), officer: specOf('officer') };
}

let cached: Record<RichMenuRole, RichMenuSpec> | undefined;

export function loadRichMenuContent(): Record<RichMenuRole, RichMenuSpec> {
  cached ??= parseRichMenuContent(JSON.parse(readFileSync(new URL('./rich-menus.th.json', import.meta.url), 'utf8')));
  return cached;
}

/**
 * The cells of the menu's grid, row by row, in button order. Edges are rounded to whole pixels from the
 * exact fractions, so cells tile the image with no gap or overlap even when 2500 does not divide evenly.
 */
export function gridCells(menu: Pick<RichMenuSpec, 'size' | 'grid'>): Bounds[] {
  const { width, height } = menu.size;
  const { columns, rows } = menu.grid;
  const edge = (total: number, parts: number, index: number) => Math.round((total * index) / parts);
  const cells: Bounds[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const x = edge(width, columns, column);
      const y = edge(height, rows, row);
      cells.push({ x, y, width: edge(width, columns, column + 1) - x, height: edge(height, rows, row + 1) - y });
    }
  }
  return cells;
}
