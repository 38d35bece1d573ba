// Fake photos and screenshots of bank transfer slips, made with canvas, for the slip QR reader's tests.
import { createCanvas, loadImage } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import { registerThaiFonts, THAI_FONT_FAMILY } from '../../server/render/thai-fonts.ts';

export interface SlipPhotoOptions {
  /** The QR's text; omitted: a slip without a QR. */
  qrText?: string;
  width?: number;
  height?: number;
  /** Pixels per QR module before blur. */
  modulePx?: number;
  /** Radians the slip is turned on the table. */
  rotation?: number;
  blurPx?: number;
  /** Amplitude of uniform grey noise, 0–255. */
  noise?: number;
  paper?: string;
  ink?: string;
  background?: [string, string];
  format?: 'jpeg' | 'png';
  jpegQuality?: number;
  /** Seeds the noise so a failing test fails the same way every time. */
  seed?: number;
}

/** A slip on a table: paper, Thai text, the QR in the lower right, then blur, noise and JPEG. */
export async function makeSlipPhoto(options: SlipPhotoOptions = {}): Promise<Buffer> {
  const {
    qrText, width = 1200, height = 1600, modulePx = 4, rotation = 0.06, blurPx = 1.5, noise = 50,
    paper = '#e9e6df', ink = '#000000', background = ['#8a8070', '#3a352e'], format = 'jpeg', jpegQuality = 75, seed = 7,
  } = options;
  await registerThaiFonts();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const gradient = ctx.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, background[0]);
  gradient.addColorStop(1, background[1]);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);

  const slipW = width * 0.7;
  const slipH = height * 0.8;
  ctx.save();
  ctx.translate(width / 2, height / 2);
  ctx.rotate(rotation);
  ctx.fillStyle = paper;
  ctx.fillRect(-slipW / 2, -slipH / 2, slipW, slipH);
  ctx.fillStyle = ink;
  const text = Math.round(width / 37);
  ctx.font = `700 ${Math.round(text * 1.4)}px ${THAI_FONT_FAMILY}`;
  ctx.fillText('โอนเงินสำเร็จ', -slipW / 2 + text * 2, -slipH / 2 + text * 3);
  ctx.font = `400 ${text}px ${THAI_FONT_FAMILY}`;
  ['15 ม.ค. 2569 10:42 น.', 'จาก นางสมหญิง ใจดี', 'ไปยัง กองทุนพัฒนาบทบาทสตรี', 'จำนวน 1,234.50 บาท', 'ค่าธรรมเนียม 0.00 บาท'].forEach((line, i) =>
    ctx.fillText(line, -slipW / 2 + text * 2, -slipH / 2 + text * (6 + i * 2)),
  );
  if (qrText) {
    const png = await QRCode.toBuffer(qrText, { scale: modulePx, margin: 2, color: { dark: ink, light: paper } });
    const qr = await loadImage(png);
    ctx.drawImage(qr, slipW / 2 - qr.width - text * 2, slipH / 2 - qr.height - text * 3);
  }
  ctx.restore();

  if (blurPx > 0) {
    const sharp = createCanvas(width, height);
    sharp.getContext('2d').drawImage(canvas, 0, 0);
    ctx.filter = `blur(${blurPx}px)`;
    ctx.drawImage(sharp, 0, 0);
    ctx.filter = 'none';
  }
  if (noise > 0) {
    const image = ctx.getImageData(0, 0, width, height);
    let state = seed;
    const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < image.data.length; i += 4) {
      const n = (random() - 0.5) * noise;
      image.data[i]! += n;
      image.data[i + 1]! += n;
      image.data[i + 2]! += n;
    }
    ctx.putImageData(image, 0, 0);
  }
  return format === 'png' ? canvas.encode('png') : canvas.encode('jpeg', jpegQuality);
}
