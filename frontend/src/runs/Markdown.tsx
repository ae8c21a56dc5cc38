// Renders the safe Markdown subset (lib/markdown.ts) as React elements: all text goes through
// React's escaping; there is no dangerouslySetInnerHTML anywhere.

import { Fragment, memo, useMemo, type ReactNode } from "react";

import { parseMarkdown, type Block, type Inline } from "./lib/markdown";

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.kind) {
      case "text":
        return <Fragment key={i}>{node.text}</Fragment>;
      case "code":
        return <code key={i}>{node.text}</code>;
      case "bold":
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case "italic":
        return <em key={i}>{renderInline(node.children)}</em>;
    }
  });
}

function renderLines(lines: Inline[][]): ReactNode[] {
  return lines.flatMap((line, i) => (i === 0 ? [renderInline(line)] : [<br key={`br${i}`} />, renderInline(line)]));
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.kind) {
    case "paragraph":
      return <p key={key}>{renderLines(block.lines)}</p>;
    case "heading": {
      const Tag = `h${Math.min(block.level + 2, 6)}` as "h3";
      return <Tag key={key}>{renderInline(block.content)}</Tag>;
    }
    case "list": {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>);
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case "quote":
      return <blockquote key={key}>{renderLines(block.lines)}</blockquote>;
    case "code":
      return (
        <pre key={key} className="md-code">
          <code>{block.text}</code>
        </pre>
      );
  }
}

export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <div className={`markdown ${className ?? ""}`.trim()}>{blocks.map(renderBlock)}</div>;
});
