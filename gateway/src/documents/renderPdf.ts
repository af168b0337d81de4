import PDFDocument from "pdfkit";
import { pdfFonts } from "./pdfFonts.js";

export type PdfBlock =
  | { kind: "title"; text: string }
  | { kind: "text"; text: string; bold?: boolean | undefined }
  | { kind: "field"; label: string; value: string }
  | { kind: "table"; columns: string[]; widths: number[]; rows: string[][]; align?: ("left" | "right")[] }
  | { kind: "gap" };

export type RenderPdfParameters = {
  title: string;
  /** Written as the PDF's creation date and hashed into its file id: fixed per document, never "now". */
  createdAt: Date;
  blocks: readonly PdfBlock[];
};

/**
 * Renders a simple A4 document and returns its bytes. The same parameters give the same bytes (a
 * document's hash is anchored on chain): pdfkit's only varying inputs are the creation date and the
 * file id derived from the info dictionary, and both come from the parameters here.
 */
export function renderPdf({ title, createdAt, blocks }: RenderPdfParameters): Promise<Buffer> {
  const fonts = pdfFonts();
  const document = new PDFDocument({
    // the default would load Helvetica's metrics for every document; the text is all DejaVu
    font: fonts.regular as unknown as string,
    size: "A4",
    margin: 50,
    compress: true,
    info: { Title: title, Producer: "GridLedger", Creator: "GridLedger", CreationDate: createdAt },
    lang: "ru-RU",
  });
  const chunks: Buffer[] = [];
  document.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on("end", () => resolve(Buffer.concat(chunks)));
    document.on("error", reject);
  });
  document.registerFont("Regular", fonts.regular);
  document.registerFont("Bold", fonts.bold);
  const width = document.page.width - 100;

  for (const block of blocks) {
    switch (block.kind) {
      case "title":
        document.font("Bold").fontSize(15).text(block.text, { align: "center" }).moveDown(0.8);
        break;
      case "text":
        document
          .font(block.bold ? "Bold" : "Regular")
          .fontSize(10)
          .text(block.text, { width })
          .moveDown(0.3);
        break;
      case "field":
        document.font("Bold").fontSize(10).text(`${block.label}: `, { continued: true });
        document.font("Regular").text(block.value).moveDown(0.2);
        break;
      case "gap":
        document.moveDown(0.8);
        break;
      case "table": {
        const x0 = document.page.margins.left;
        const drawRow = (cells: string[], bold: boolean) => {
          const y = document.y;
          let x = x0;
          let height = 0;
          document.font(bold ? "Bold" : "Regular").fontSize(9);
          cells.forEach((cell, index) => {
            const cellWidth = block.widths[index]!;
            const options = { width: cellWidth - 6, align: block.align?.[index] ?? "left" } as const;
            height = Math.max(height, document.heightOfString(cell, options));
            document.text(cell, x + 3, y + 3, options);
            x += cellWidth;
          });
          const total = block.widths.reduce((sum, value) => sum + value, 0);
          document.rect(x0, y, total, height + 6).stroke();
          document.x = x0;
          document.y = y + height + 6;
        };
        drawRow(block.columns, true);
        for (const row of block.rows) drawRow(row, false);
        document.moveDown(0.5);
        break;
      }
    }
  }
  document.end();
  return done;
}
