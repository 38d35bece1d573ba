// The LINE rich menu of each role, ready for POST /v2/bot/richmenu, with its committed PNG and a content
// hash: a later step creates a menu only when no menu named with that hash exists, so deploys are idempotent.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { messagingApi } from '@line/bot-sdk';
import {
  gridCells,
  loadRichMenuContent,
  plainLabel,
  RICH_MENU_ROLES,
  type Bounds,
  type RichMenuButton,
  type RichMenuRole,
  type RichMenuSpec,
} from '../content/rich-menu-content.ts';
import { encodePostback } from './postback.ts';

/** LINE rejects rich-menu images above 1 MB. */
export const RICH_MENU_IMAGE_MAX_BYTES = 1024 * 1024;
export const RICH_MENU_NAME_PREFIX = 'wdf-';
const SHORT_HASH_LENGTH = 6;

export type RichMenuAreaAction =
  | { type: 'postback'; label: string; data: string; displayText: string }
  | { type: 'uri'; label: string; uri: string };

/** The body of POST /v2/bot/richmenu. */
export interface LineRichMenu {
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: Array<{ bounds: Bounds; action: RichMenuAreaAction }>;
}

// Compile-time proof that the SDK's createRichMenu accepts our object unchanged.
type Assert<T extends true> = T;
export type LineRichMenuFitsSdk = Assert<LineRichMenu extends messagingApi.RichMenuRequest ? true : false>;

export interface RichMenuDefinition {
  role: RichMenuRole;
  richMenu: LineRichMenu;
  image: Buffer;
  imageContentType: 'image/png';
  /** sha256 (hex) over the rich menu object without its name (the name carries this hash) and the image bytes. */
  hash: string;
}

export interface RichMenuSources {
  content?: Record<RichMenuRole, RichMenuSpec>;
  readImage?: (role: RichMenuRole) => Buffer;
}

/** Where the build script writes, and the server reads, a role's committed image. */
export function richMenuImageUrl(role: RichMenuRole): URL {
  return new URL(`./rich-menus/${role}.png`, import.meta.url);
}

export function richMenuName(role: RichMenuRole, hash: string): string {
  return `${RICH_MENU_NAME_PREFIX}${role}-${hash.slice(0, SHORT_HASH_LENGTH)}`;
}

/** The role and short hash of a menu this module named; undefined for any other menu on the channel. */
export function parseRichMenuName(name: string): { role: RichMenuRole; shortHash: string } | undefined {
  const match = new RegExp(`^${RICH_MENU_NAME_PREFIX}([a-z]+)-([0-9a-f]{${SHORT_HASH_LENGTH}})$`).exec(name);
  const role = RICH_MENU_ROLES.find((known) => known === match?.[1]);
  return role && match ? { role, shortHash: match[2]! } : undefined;
}

function areaAction(button: RichMenuButton, liffUrl: string): RichMenuAreaAction {
  // The label is what a phone's screen reader says for the area; the image itself has no text for it.
  const label = plainLabel(button.label);
  if ('postback' in button.action) {
    return { type: 'postback', label, data: encodePostback({ action: button.action.postback }), displayText: label };
  }
  return { type: 'uri', label, uri: `${liffUrl}${button.action.liffPath}` };
}

function checkedLiffUrl(liffUrl: string): string {
  const url = new URL(liffUrl);
  if (url.protocol !== 'https:') throw new Error(`the LIFF URL must be https: ${liffUrl}`);
  return liffUrl.replace(/\/+$/, '');
}

/** The object LINE receives for one role, named by the hash of everything else it holds. */
function definitionOf(spec: RichMenuSpec, image: Buffer, liffUrl: string): RichMenuDefinition {
  assertImageFits(spec, image);
  const cells = gridCells(spec);
  const unnamed = {
    size: spec.size,
    selected: spec.selected,
    chatBarText: spec.chatBarText,
    areas: spec.buttons.map((button, index) => ({ bounds: cells[index]!, action: areaAction(button, liffUrl) })),
  };
  const hash = createHash('sha256').update(JSON.stringify(unnamed)).update('\0').update(image).digest('hex');
  const richMenu: LineRichMenu = { size: unnamed.size, selected: unnamed.selected, name: richMenuName(spec.role, hash), chatBarText: unnamed.chatBarText, areas: unnamed.areas };
  return { role: spec.role, richMenu, image, imageContentType: 'image/png', hash };
}

/**
 * Every role's rich menu. `liffUrl` is https://liff.line.me/{LIFF_ID}; buttons that open the mini-app
 * point below it. `sources` lets tests swap the content or the images.
 */
export function richMenuDefinitions(liffUrl: string, sources: RichMenuSources = {}): Record<RichMenuRole, RichMenuDefinition> {
  const base = checkedLiffUrl(liffUrl);
  const content = sources.content ?? loadRichMenuContent();
  const readImage = sources.readImage ?? ((role: RichMenuRole) => readFileSync(richMenuImageUrl(role)));
  const definitionFor = (role: RichMenuRole) => definitionOf(content[role], readImage(role), base);
  return { unlinked: definitionFor('unlinked'), borrower: definitionFor('borrower'), officer: definitionFor('officer') };
}

// ---- The committed images ---------------------------------------------------------------------

export interface PngInfo {
  width: number;
  height: number;
  /** The PNG's "Comment" text chunk, where the build script records which content the image shows. */
  comment?: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Size and Comment of a PNG, read from its chunks (no image library at run time). */
export function readPngInfo(png: Buffer): PngInfo {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG image');
  const info: PngInfo = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  for (let offset = 8; offset + 8 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'tEXt') {
      const separator = data.indexOf(0);
      if (separator > 0 && data.toString('latin1', 0, separator) === 'Comment') info.comment = data.toString('latin1', separator + 1);
    }
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return info;
}

function assertImageFits(spec: RichMenuSpec, image: Buffer): void {
  const { width, height } = readPngInfo(image);
  const rebuild = 'run `npm run build:rich-menus`';
  if (width !== spec.size.width || height !== spec.size.height) {
    throw new Error(`rich menu "${spec.role}": the image is ${width}×${height} but the menu is ${spec.size.width}×${spec.size.height}; ${rebuild}`);
  }
  if (image.length > RICH_MENU_IMAGE_MAX_BYTES) throw new Error(`rich menu "${spec.role}": the image is ${image.length} bytes, LINE allows ${RICH_MENU_IMAGE_MAX_BYTES}`);
}

/**
 * What the build script writes into an image's Comment: a hash of the content it was drawn from. When the
 * content file changes and nobody rebuilds the images, the comments no longer match (a unit test checks).
 */
export function richMenuImageComment(spec: RichMenuSpec): string {
  return `wdf-rich-menu content-sha256=${createHash('sha256').update(JSON.stringify(spec)).digest('hex')}`;
}
