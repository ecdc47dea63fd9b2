/** The README's marked code blocks, which tests/consumer runs as written. */
import * as fs from "node:fs";

/** One fenced block after a `<!-- readme-test: NAME -->` marker. */
export interface ReadmeBlock {
  name: string;
  lang: string;
  text: string;
}

/**
 * The marked blocks of a Markdown file by name: each `<!-- readme-test: NAME -->` line must be
 * followed (after blank lines only) by a fenced code block. Throws on a marker without a block or a
 * name used twice, so a README edit cannot silently drop a tested block.
 */
export function readmeBlocks(file: string): Map<string, ReadmeBlock> {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const blocks = new Map<string, ReadmeBlock>();
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- readme-test: (\S+) -->$/.exec(lines[i]);
    if (!marker) continue;
    const name = marker[1];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === "") j++;
    const fence = /^```(\w*)$/.exec(lines[j] ?? "");
    if (!fence) throw new Error(`${file}:${i + 1}: marker ${name} is not followed by a code block`);
    const end = lines.findIndex((l, k) => k > j && l === "```");
    if (end < 0) throw new Error(`${file}:${j + 1}: code block ${name} is not closed`);
    if (blocks.has(name)) throw new Error(`${file}:${i + 1}: marker ${name} is used twice`);
    blocks.set(name, { name, lang: fence[1], text: `${lines.slice(j + 1, end).join("\n")}\n` });
    i = end;
  }
  return blocks;
}

/** The block `name` of `blocks`; throws when the README has no such block. */
export function block(blocks: Map<string, ReadmeBlock>, name: string): string {
  const b = blocks.get(name);
  if (!b) throw new Error(`the README has no block marked readme-test: ${name}`);
  return b.text;
}
