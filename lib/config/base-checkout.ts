import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/*
 * A git ref checked out next to the working tree, for commands that compare with the base
 * branch (`npm run diff`, `npm run validate -- --base`). The checkout is a temporary git
 * worktree, removed afterwards whatever happens.
 */

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A ref that is not a commit here; the message says how to fix it. */
export class BaseRefError extends Error {
  constructor(ref: string) {
    super(`"${ref}" is not a commit in this repository. Fix: fetch it first (git fetch origin main) or pass a branch, tag or commit.`);
    this.name = "BaseRefError";
  }
}

/**
 * Checks `ref` out into a temporary worktree and calls `use` with the project's directory in
 * it (the same sub-directory as `projectDir` in this repository). The base checkout has no
 * packages of its own: it gets a link to this checkout's nearest node_modules.
 */
export async function withBaseCheckout<T>(projectDir: string, ref: string, use: (baseProjectDir: string, temp: string) => Promise<T>): Promise<T> {
  const top = git(["rev-parse", "--show-toplevel"], projectDir);
  let commit: string;
  try {
    commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top);
  } catch {
    throw new BaseRefError(ref);
  }
  const temp = mkdtempSync(path.join(tmpdir(), "super-tf-base-"));
  const checkout = path.join(temp, "base");
  try {
    git(["worktree", "add", "--detach", "--quiet", checkout, commit], top);
    const inRepo = (dir: string) => path.relative(realpathSync(top), realpathSync(dir));
    const baseProjectDir = path.join(checkout, inRepo(projectDir));
    // The nearest node_modules above the project (the config directory's is the repository's).
    for (let dir = projectDir; !inRepo(dir).startsWith(".."); dir = path.dirname(dir)) {
      const modules = path.join(dir, "node_modules");
      if (!existsSync(modules)) continue;
      const linked = path.join(checkout, inRepo(dir), "node_modules");
      if (!existsSync(linked)) symlinkSync(realpathSync(modules), linked, "dir");
      break;
    }
    return await use(baseProjectDir, temp);
  } finally {
    // Always leave the repository as it was: no worktree, no temp files.
    try {
      git(["worktree", "remove", "--force", checkout], top);
    } catch {
      // The worktree was never created; prune below tidies any leftover record.
    }
    rmSync(temp, { recursive: true, force: true });
    git(["worktree", "prune"], top);
  }
}
