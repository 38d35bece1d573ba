// Registers Sarabun (shipped as .ttf inside an npm package) with @napi-rs/canvas once, so images draw
// Thai the same on every machine without system fonts.
import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

export const THAI_FONT_FAMILY = 'Sarabun';

let registered = false;

export function registerThaiFonts(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  for (const file of ['400Regular/Sarabun_400Regular.ttf', '700Bold/Sarabun_700Bold.ttf']) {
    const path = require.resolve(`@expo-google-fonts/sarabun/${file}`);
    if (!GlobalFonts.registerFromPath(path)) throw new Error(`could not load font ${path}`);
  }
  registered = true;
}
