import { handleCommand, type SlackCommandConfig } from "./handler.js";

/*
 * AWS Lambda entry point behind a function URL. The signing secret and the GitHub token are
 * read at run time from Secrets Manager, by the ARNs in the environment: the function's
 * configuration holds references only, never the values.
 */

/** The subset of a Lambda function URL event the handler reads. */
export interface FunctionUrlEvent {
  readonly headers?: Record<string, string | undefined>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

type SecretReader = (arn: string) => Promise<string>;

let cached: Promise<SlackCommandConfig> | undefined;

/** Reads a secret with the AWS SDK bundled in the Lambda Node.js runtime. */
const readSecret: SecretReader = async (arn) => {
  // The SDK ships with the runtime, not with this project: load it by a computed name.
  const sdk = "@aws-sdk/client-secrets-manager";
  const { SecretsManagerClient, GetSecretValueCommand } = await import(sdk);
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (typeof out.SecretString !== "string" || out.SecretString === "") throw new Error(`secret ${arn} has no value yet`);
  return out.SecretString;
};

/** The handler's configuration from the function's environment, secrets resolved once per container. */
export function loadConfig(env: NodeJS.ProcessEnv, read: SecretReader = readSecret): Promise<SlackCommandConfig> {
  cached ??= (async () => ({
    signingSecret: await read(env.SIGNING_SECRET_ARN ?? ""),
    githubToken: await read(env.GITHUB_TOKEN_SECRET_ARN ?? ""),
    githubApiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    repository: env.GITHUB_REPOSITORY ?? "",
  }))();
  return cached;
}

export async function handler(event: FunctionUrlEvent): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : event.body ?? "";
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const answer = await handleCommand({ headers, body }, await loadConfig(process.env));
  return { statusCode: answer.status, headers: { ...answer.headers }, body: answer.body };
}
