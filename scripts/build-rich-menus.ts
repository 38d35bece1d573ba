// Draws every role's rich-menu image from server/content/rich-menus.th.json into server/line/rich-menus/
// (committed, so the server never needs a canvas library). Fails when an image would exceed LINE's 1 MB.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRichMenuContent, RICH_MENU_ROLES } from '../server/content/rich-menu-content.ts';
import { drawRichMenuImage } from '../server/line/rich-menu-images.ts';
import { RICH_MENU_IMAGE_MAX_BYTES, richMenuImageComment, richMenuImageUrl } from '../server/line/rich-menus.ts';

const content = loadRichMenuContent();
let failed = false;
for (const role of RICH_MENU_ROLES) {
  const spec = content[role];
  const png = drawRichMenuImage(spec, richMenuImageComment(spec));
  const path = fileURLToPath(richMenuImageUrl(role));
  const kb = (png.length / 1024).toFixed(0);
  if (png.length > RICH_MENU_IMAGE_MAX_BYTES) {
    console.error(`${role}: ${kb} KB is over LINE's 1 MB limit; not written`);
    failed = true;
    continue;
  }
  writeFileSync(path, png);
  console.log(`${role}: ${spec.size.width}×${spec.size.height}, ${kb} KB → ${path}`);
}
if (failed) process.exit(1);
