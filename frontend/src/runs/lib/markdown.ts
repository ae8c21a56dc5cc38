// A tiny, safe Markdown subset for answers: paragraphs, headings, lists, quotes, fenced code,
// and inline **bold**, *italic*, `code`. It builds a plain tree of blocks and spans; the
// React view renders text as text (never as HTML), so nothing in an answer can inject markup.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "bold"; children: Inline[] }
  | { kind: "italic"; children: Inline[] }
  | { kind: "code"; text: string };

export type Block =
  | { kind: "paragraph"; lines: Inline[][] }
  | { kind: "heading"; level: number; content: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "quote"; lines: Inline[][] }
  | { kind: "code"; text: string; lang: string };

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) out.push({ kind: "text", text: buffer });
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith("`")) {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: "code", text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith("**")) {
      const end = text.indexOf("**", i + 2);
      if (end > i + 2) {
        flush();
        out.push({ kind: "bold", children: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((rest.startsWith("*") || rest.startsWith("_")) && /\S/.test(text[i + 1] ?? "")) {
      const mark = text[i]!;
      const end = text.indexOf(mark, i + 1);
      const wordBefore = i > 0 && /\w/.test(text[i - 1]!);
      if (end > i + 1 && !wordBefore && /\S/.test(text[end - 1]!)) {
        flush();
        out.push({ kind: "italic", children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    buffer += text[i];
    i += 1;
  }
  flush();
  return out;
}

const LIST_ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(```|~~~)\s*([\w+-]*)\s*$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i += 1; // closing fence (or end)
      blocks.push({ kind: "code", text: body.join("\n"), lang: fence[2] ?? "" });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: heading[1]!.length, content: parseInline(heading[2]!) });
      i += 1;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const quoted: Inline[][] = [];
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]!)) {
        quoted.push(parseInline(lines[i]!.replace(/^\s{0,3}>\s?/, "")));
        i += 1;
      }
      blocks.push({ kind: "quote", lines: quoted });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = !item[1];
      const items: Inline[][] = [];
      let text = item[3]!;
      i += 1;
      for (;;) {
        const next = lines[i];
        const nextItem = next !== undefined ? LIST_ITEM.exec(next) : null;
        if (next !== undefined && next.trim() && !nextItem && /^\s+/.test(next)) {
          text += ` ${next.trim()}`; // a continuation line
          i += 1;
          continue;
        }
        items.push(parseInline(text));
        if (!nextItem || !nextItem[1] !== ordered) break;
        text = nextItem[3]!;
        i += 1;
      }
      blocks.push({ kind: "list", ordered, items });
      continue;
    }
    const paragraph: Inline[][] = [];
    while (i < lines.length) {
      const current = lines[i]!;
      if (!current.trim() || FENCE.test(current) || HEADING.test(current) || /^\s{0,3}>/.test(current) || LIST_ITEM.test(current)) break;
      paragraph.push(parseInline(current));
      i += 1;
    }
    blocks.push({ kind: "paragraph", lines: paragraph });
  }
  return blocks;
}
