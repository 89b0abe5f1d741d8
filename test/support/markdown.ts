/**
 * The parts of a Markdown document the docs test reads: headings with their GitHub anchors and the sections they
 * open, fenced code blocks, inline code spans and links, each with the line it is on.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Heading {
  level: number;
  text: string;
  /** The anchor GitHub gives it (`#the-dcp-stream-contract`). */
  slug: string;
  line: number;
}

/** A heading and what follows it, to the next heading of the same or a higher level (`end` is exclusive). */
export interface Section {
  heading: Heading;
  start: number;
  end: number;
}

export interface Located {
  text: string;
  line: number;
}

export interface Doc {
  /** Relative to the repository, e.g. `docs/batches.md`. */
  file: string;
  lines: string[];
  /** Per line: inside a fenced code block (the fences included). */
  inFence: boolean[];
  headings: Heading[];
  sections: Section[];
  /** Lines of fenced code blocks. */
  codeLines: Located[];
  /** Inline code spans outside code blocks, with `\|` (a pipe in a table cell) read as `|`. */
  inlineCode: Located[];
  /** Link targets `[text](target)` and `![alt](target)` outside code. */
  links: Located[];
}

export function readDoc(root: string, file: string): Doc {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const inFence: boolean[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) {
      fence = marker[0];
      inFence.push(true);
    } else {
      inFence.push(fence !== null);
      if (fence !== null && marker?.[0] === fence) fence = null;
    }
  }
  const headings = headingsOf(lines, inFence);
  const doc: Doc = { file, lines, inFence, headings, sections: [], codeLines: [], inlineCode: [], links: [] };
  doc.sections = headings.map((heading, i) => {
    const next = headings.slice(i + 1).find((h) => h.level <= heading.level);
    return { heading, start: heading.line, end: next ? next.line : lines.length };
  });
  lines.forEach((line, i) => {
    if (inFence[i] && !/^\s*(`{3,}|~{3,})/.test(line)) doc.codeLines.push({ text: line, line: i });
  });
  // Spans and links may run over a line break inside a paragraph: read the text outside code blocks as a whole.
  const prose = lines.map((line, i) => (inFence[i] ? '' : line)).join('\n');
  const lineAt = (offset: number) => prose.slice(0, offset).split('\n').length - 1;
  for (const span of prose.matchAll(/(`+)([^`][\s\S]*?)\1(?!`)/g)) {
    const text = span[2].replace(/\s*\n\s*/g, ' ').replace(/\\\|/g, '|');
    doc.inlineCode.push({ text, line: lineAt(span.index) });
  }
  const withoutCode = prose.replace(/(`+)[^`][\s\S]*?\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));
  for (const link of withoutCode.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    doc.links.push({ text: link[1], line: lineAt(link.index) });
  }
  return doc;
}

function headingsOf(lines: string[], inFence: boolean[]): Heading[] {
  const used = new Map<string, number>();
  const headings: Heading[] = [];
  lines.forEach((line, i) => {
    const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match || inFence[i]) return;
    const text = match[2];
    const base = slugOf(text);
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    headings.push({ level: match[1].length, text, slug: seen === 0 ? base : `${base}-${seen}`, line: i });
  });
  return headings;
}

/** GitHub's anchor of a heading: its text as shown, lower case, punctuation dropped, spaces as hyphens. */
export function slugOf(headingText: string): string {
  const shown = headingText
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*~]/g, '');
  return shown
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The innermost section holding a line: the text under its nearest heading (undefined above the first one). */
export function sectionAt(doc: Doc, line: number): Section | undefined {
  const inside = doc.sections.filter((s) => s.start <= line && line < s.end);
  return inside[inside.length - 1];
}

/** The lines under one heading, down to the next heading of any level. */
export function ownText(doc: Doc, section: Section): string {
  const next = doc.headings.find((h) => h.line > section.start);
  return doc.lines.slice(section.start, Math.min(section.end, next ? next.line : doc.lines.length)).join('\n');
}
