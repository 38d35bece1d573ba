// Finds the slip-verify mini QR in a photo or screenshot of a bank transfer slip.
// Phone photos are soft, noisy and unevenly lit, so the decoder (ZXing-C++ as WebAssembly) is tried on a
// few versions of the picture until one reads: as it is (at most 2,000 px; ZXing also scans its own
// downscaled copies, tryDownscale), enlarged 1.5× when small (tiny, soft modules of a compressed photo),
// and contrast-stretched (a dark one). Each version earned its place on a simulated photo that only it
// could read; an explicit 800 px copy read nothing that ZXing's own downscaling missed, so it is not here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Image } from '@napi-rs/canvas';
import { loadCanvas } from './heavy-libraries.ts';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { parseSlipQr, type SlipQr } from '../domain/slip-qr.ts';

let zxingReady: Promise<unknown> | undefined;

/**
 * zxing-wasm fetches its .wasm from a CDN unless told otherwise: hand it the copy inside the npm package,
 * so reading a slip never touches the network and runs the exact binary the lockfile pinned.
 */
function prepareZxing(): Promise<unknown> {
  zxingReady ??= (async () => {
    const file = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })();
  return zxingReady;
}

const READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

/** LINE delivers images up to 10 MB; anything larger is not a slip photo. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const MAX_IMAGE_PIXELS = 50_000_000;
const NATIVE_MAX_SIDE = 2000;
const ENLARGE_BELOW_SIDE = 1600;

type ImageFormat = 'jpeg' | 'png';

function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((byte, i) => bytes[i] === byte)) return 'png';
  return undefined;
}

async function decodeImage(bytes: Uint8Array): Promise<Image | undefined> {
  if (bytes.length > MAX_IMAGE_BYTES || !sniffFormat(bytes)) return undefined;
  try {
    const { loadImage } = await loadCanvas();
    const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!image.width || !image.height || image.width * image.height > MAX_IMAGE_PIXELS) return undefined;
    return image;
  } catch {
    return undefined;
  }
}

interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function scaled(createCanvas: typeof import('@napi-rs/canvas').createCanvas, image: Image, scale: number): Pixels {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.fillStyle = '#ffffff'; // transparent PNG pixels read as paper, not as black
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  return { data: ctx.getImageData(0, 0, width, height).data, width, height };
}

/** Grey levels stretched so the 1st and 99th percentiles become black and white: lifts a dim or hazy photo. */
function contrastStretched({ data, width, height }: Pixels): Pixels {
  const pixels = width * height;
  const grey = new Uint8Array(pixels);
  const histogram = new Uint32Array(256);
  for (let i = 0; i < pixels; i++) {
    const g = (data[i * 4]! * 77 + data[i * 4 + 1]! * 150 + data[i * 4 + 2]! * 29) >> 8;
    grey[i] = g;
    histogram[g]!++;
  }
  const percentile = (share: number) => {
    let seen = 0;
    for (let level = 0; level < 256; level++) {
      seen += histogram[level]!;
      if (seen >= pixels * share) return level;
    }
    return 255;
  };
  const low = percentile(0.01);
  const high = Math.max(low + 1, percentile(0.99));
  const out = new Uint8ClampedArray(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    const v = ((grey[i]! - low) * 255) / (high - low);
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return { data: out, width, height };
}

/** The text of the first QR code found in a JPEG or PNG; undefined when there is none or the bytes are not an image. */
export async function readQrText(imageBytes: Uint8Array): Promise<string | undefined> {
  const image = await decodeImage(imageBytes);
  if (!image) return undefined;
  const [{ createCanvas }] = await Promise.all([loadCanvas(), prepareZxing()]);
  const longSide = Math.max(image.width, image.height);
  const native = Math.min(1, NATIVE_MAX_SIDE / longSide);
  const versions: Array<() => Pixels> = [
    () => scaled(createCanvas, image, native),
    ...(longSide <= ENLARGE_BELOW_SIDE ? [() => scaled(createCanvas, image, 1.5)] : []),
    () => contrastStretched(scaled(createCanvas, image, native)),
  ];
  for (const version of versions) {
    try {
      // zxing-wasm reads any { data, width, height } as RGBA pixels.
      const [found] = await readBarcodes(version() as unknown as ImageData, READER_OPTIONS);
      if (found?.isValid && found.text) return found.text;
    } catch {
      // A picture the decoder chokes on is a picture without a readable QR; the next version may still read.
    }
  }
  return undefined;
}

/** The bank and transaction reference of a transfer slip photo; undefined when no slip QR can be read. Never throws on bad input. */
export async function readSlipQr(imageBytes: Uint8Array): Promise<SlipQr | undefined> {
  const text = await readQrText(imageBytes);
  return text === undefined ? undefined : parseSlipQr(text);
}
