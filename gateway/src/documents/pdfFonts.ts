import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";

const require = createRequire(import.meta.url);
const folder = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");

/** A font as pdfkit's `registerFont` takes it: file bytes or a parsed (fontkit) font. */
type FontSource = Parameters<PDFKit.PDFDocument["registerFont"]>[1];

let parsed: { regular: FontSource; bold: FontSource } | undefined;

/**
 * The bundled DejaVu Sans (regular and bold): it covers Cyrillic, so Russian text is embedded as real
 * text (a subset of the font with a ToUnicode map), not as outlines. Parsed once per process and
 * shared by every document: parsing the 750 kB font per document took about 0.2 s, most of a render.
 * pdfkit accepts a parsed font in place of the bytes and subsets it per document; reaching the parsed
 * font through a throwaway document avoids depending on fontkit directly.
 */
export function pdfFonts(): { regular: FontSource; bold: FontSource } {
  if (!parsed) {
    const parse = (file: string) => {
      const probe = new PDFDocument({ autoFirstPage: false });
      probe.font(readFileSync(join(folder, file)));
      return (probe as unknown as { _font: { font: FontSource } })._font.font;
    };
    parsed = { regular: parse("DejaVuSans.ttf"), bold: parse("DejaVuSans-Bold.ttf") };
  }
  return parsed;
}
