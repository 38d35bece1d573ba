// Photos are made smaller on the phone before they travel: a 12-megapixel picture of a paper needs 1,600 pixels.
import { MAX_DOCUMENT_BYTES } from '../../../server/contracts/liff.ts';

const LONG_EDGE = 1600;
const SHRINK_ABOVE_BYTES = 1_200_000;

export async function prepareUpload(file: File): Promise<Blob> {
  const isImage = file.type === 'image/jpeg' || file.type === 'image/png' || /\.(jpe?g|png)$/i.test(file.name);
  const isPdf = file.type === 'application/pdf' || /\.pdf$/i.test(file.name);
  if (!isImage && !isPdf) throw new Error('รองรับเฉพาะรูปภาพ JPEG, PNG หรือเอกสาร PDF ค่ะ');
  let blob: Blob = file;
  if (isImage && file.size > SHRINK_ABOVE_BYTES) blob = (await shrink(file)) ?? file;
  if (blob.size > MAX_DOCUMENT_BYTES) throw new Error(`ไฟล์ ${file.name} ใหญ่เกิน 5 เมกะไบต์ค่ะ กรุณาถ่ายใหม่หรือเลือกไฟล์ที่เล็กลง`);
  return blob;
}

async function shrink(file: File): Promise<Blob | undefined> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((result) => resolve(result ?? undefined), 'image/jpeg', 0.82));
  } catch {
    return undefined; // an old WebView without createImageBitmap: send the original
  }
}
