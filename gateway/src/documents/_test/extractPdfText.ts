import { inflateSync } from "node:zlib";

/**
 * The text of a pdfkit PDF, read the way a PDF reader does: inflate the streams, build each font's
 * ToUnicode map, follow the content stream's font changes (`/F1 10 Tf`) and decode the hex glyph
 * strings of its TJ operators through the current font's map. Only what a reader could extract
 * comes out, so a test on it checks that the text is real text. (No pdftotext on the test machines;
 * this handles what pdfkit writes: embedded subset fonts, `bfrange` arrays, 2-byte glyph codes.)
 */
export function extractPdfText(pdf: Buffer): { text: string; fonts: string[] } {
  const source = pdf.toString("latin1");
  const objects = new Map<number, { dictionary: string; stream: string | undefined }>();
  for (const match of source.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    const body = match[2]!;
    const at = body.indexOf("stream");
    let stream: string | undefined;
    if (at >= 0) {
      const begin =
        match.index! + match[0].indexOf(body) + at + "stream".length + (body[at + 6] === "\r" ? 2 : 1);
      const end = source.indexOf("endstream", begin);
      const raw = pdf.subarray(begin, end);
      try {
        stream = inflateSync(raw).toString("latin1");
      } catch {
        stream = raw.toString("latin1");
      }
    }
    objects.set(Number(match[1]), { dictionary: at >= 0 ? body.slice(0, at) : body, stream });
  }
  const toUnicode = (objectNumber: number): Map<number, string> => {
    const map = new Map<number, string>();
    const cmap = objects.get(objectNumber)?.stream ?? "";
    const text = (hex: string) =>
      String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((unit) => Number.parseInt(unit, 16)));
    for (const range of cmap.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]/g)) {
      const first = Number.parseInt(range[1]!, 16);
      let code = first;
      for (const item of range[3]!.matchAll(/<([0-9a-fA-F]*)>/g)) map.set(code++, text(item[1]!));
    }
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const pair of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
        map.set(Number.parseInt(pair[1]!, 16), text(pair[2]!));
    return map;
  };
  const fontMaps = new Map<string, Map<number, string>>();
  for (const { dictionary } of objects.values()) {
    const fonts = /\/Font\s*<<([^>]*)>>/.exec(dictionary);
    if (!fonts) continue;
    for (const entry of fonts[1]!.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const font = objects.get(Number(entry[2]))?.dictionary ?? "";
      const unicode = /\/ToUnicode (\d+) 0 R/.exec(font);
      if (unicode) fontMaps.set(entry[1]!, toUnicode(Number(unicode[1])));
    }
  }
  let text = "";
  for (const { stream } of objects.values()) {
    if (!stream || !/\bTJ\b/.test(stream)) continue;
    let current: Map<number, string> | undefined;
    for (const token of stream.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ/g)) {
      if (token[1]) {
        current = fontMaps.get(token[1]);
        continue;
      }
      for (const string of token[2]!.matchAll(/<([0-9a-fA-F]*)>/g))
        for (const code of string[1]!.match(/.{4}/g) ?? [])
          text += current?.get(Number.parseInt(code, 16)) ?? "\uFFFD";
      text += "\n";
    }
  }
  const fonts = [...source.matchAll(/\/FontName \/([A-Z]{6}\+[\w-]+)/g)].map((match) => match[1]!);
  return { text, fonts };
}
