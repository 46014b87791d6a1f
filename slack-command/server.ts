import { createServer, type IncomingMessage, type Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { handleCommand, type SlackCommandConfig } from "./handler.js";

/** Slash-command bodies are small; anything larger is refused before it is read whole. */
const MAX_BODY_BYTES = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** An HTTP server (node:http, no framework) answering the slash command on any path with POST. */
export function createSlackCommandServer(config: SlackCommandConfig): Server {
  return createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST") {
        res.writeHead(405, { allow: "POST" }).end();
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
      const answer = await handleCommand({ headers, body }, config);
      res.writeHead(answer.status, answer.headers).end(answer.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}

/** Configuration from the environment (local runs); secrets are never logged. */
export function configFromEnv(env: NodeJS.ProcessEnv): SlackCommandConfig {
  const missing = ["SLACK_SIGNING_SECRET", "GITHUB_TOKEN", "GITHUB_REPOSITORY"].filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`Set ${missing.join(", ")} in the environment (GITHUB_API_URL defaults to https://api.github.com).`);
  return {
    signingSecret: env.SLACK_SIGNING_SECRET!,
    githubToken: env.GITHUB_TOKEN!,
    githubApiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    repository: env.GITHUB_REPOSITORY!,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const config = configFromEnv(process.env);
    const port = Number(process.env.PORT ?? 3000);
    const host = process.env.HOST ?? "127.0.0.1";
    createSlackCommandServer(config).listen(port, host, () => {
      process.stdout.write(`Slack command listening on http://${host}:${port}/ (dispatching to ${config.githubApiUrl}/repos/${config.repository}).\n`);
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
