/*
 * GitHub refuses a comment body longer than 65,536 characters, so a summary of a large change
 * (every workspace of a 500-stack organization, each with its resources) cannot be posted whole.
 * The comment keeps the summary's beginning (the plan results and the table of workspaces come
 * first) and says where the whole is: the workflow run uploads it as an artifact.
 */

/** GitHub's limit on the body of an issue or pull request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface FitOptions {
  /** Name of the workflow artifact that holds the whole summary. */
  readonly artifact: string;
  /** The workflow run the artifact belongs to; linked from the note. @default - the note names no link */
  readonly runUrl?: string;
  /** Characters the comment may have. @default GITHUB_COMMENT_LIMIT */
  readonly limit?: number;
}

/**
 * The Markdown as it is when it fits; otherwise its first lines (cut at a line, every open
 * `<details>` and code fence closed) and a note linking the artifact with the whole. The
 * result is never longer than the limit (JavaScript string length counts UTF-16 units, never
 * fewer than GitHub's characters).
 */
export function fitComment(markdown: string, options: FitOptions): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  if (markdown.length <= limit) return markdown;
  const where = options.runUrl ? `the artifact \`${options.artifact}\` of [this workflow run](${options.runUrl})` : `the artifact \`${options.artifact}\` of the workflow run`;
  const note = ["", "> [!NOTE]", `> The summary is ${markdown.length.toLocaleString("en-US")} characters, more than a GitHub comment holds: this is its beginning. The whole summary is ${where}.`, ""].join("\n");

  const kept: string[] = [];
  let length = 0;
  let openDetails = 0;
  let inFence = false;
  const closing = (details: number, fence: boolean) => `${fence ? "```\n" : ""}${"\n</details>\n".repeat(details)}`;
  for (const line of markdown.split("\n")) {
    const details = openDetails + count(line, "<details>") - count(line, "</details>");
    const fence: boolean = /^\s*```/.test(line) ? !inFence : inFence;
    const next = length + line.length + 1;
    if (next + closing(Math.max(0, details), fence).length + note.length > limit) break;
    kept.push(line);
    length = next;
    openDetails = Math.max(0, details);
    inFence = fence;
  }
  const out = `${kept.join("\n")}\n${closing(openDetails, inFence)}${note}`;
  // A limit smaller than the note itself: only the note, cut, can be shown.
  return out.length <= limit ? out : note.slice(0, limit);
}

function count(text: string, tag: string): number {
  return text.split(tag).length - 1;
}
