// Decode a QR code image (PNG bytes or a data: URL) back to its text with jsqr, as a phone would read it.
import jsQRModule from 'jsqr';
import sharp from 'sharp';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is CommonJS: the function is the module itself at runtime, `default` in its type declarations.
const mod = jsQRModule as unknown as JsQr | { default: JsQr };
const jsQR: JsQr = typeof mod === 'function' ? mod : mod.default;

export async function decodeQrPng(png: Buffer | string): Promise<string | undefined> {
  const bytes =
    typeof png === 'string' ? Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64') : png;
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
}
