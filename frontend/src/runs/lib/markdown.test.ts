import { describe, expect, it } from "vitest";

import { parseInline, parseMarkdown } from "./markdown";

describe("parseMarkdown", () => {
  it("reads paragraphs, quotes, lists and code", () => {
    const blocks = parseMarkdown(
      '**search-docs**: The best match:\n> Keep it focused.\n\nAlso relevant:\n- "Setup" (a.md)\n- second\n\n```\n<b>x</b>\n```',
    );
    expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "quote", "paragraph", "list", "code"]);
    expect(blocks[4]).toEqual({ kind: "code", text: "<b>x</b>", lang: "" });
  });

  it("keeps HTML as text", () => {
    expect(parseInline("<script>alert(1)</script>")).toEqual([{ kind: "text", text: "<script>alert(1)</script>" }]);
  });

  it("reads bold, italic and code spans", () => {
    expect(parseInline("a **b** *c* `d` snake_case_name")).toEqual([
      { kind: "text", text: "a " },
      { kind: "bold", children: [{ kind: "text", text: "b" }] },
      { kind: "text", text: " " },
      { kind: "italic", children: [{ kind: "text", text: "c" }] },
      { kind: "text", text: " " },
      { kind: "code", text: "d" },
      { kind: "text", text: " snake_case_name" },
    ]);
  });

  it("reads ordered lists and headings", () => {
    expect(parseMarkdown("# Title\n1. one\n2. two")).toEqual([
      { kind: "heading", level: 1, content: [{ kind: "text", text: "Title" }] },
      { kind: "list", ordered: true, items: [[{ kind: "text", text: "one" }], [{ kind: "text", text: "two" }]] },
    ]);
  });
});
