import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionUrl } from "@cdktf/provider-aws/lib/lambda-function-url";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { AssetType, TerraformAsset, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { projectRoot } from "../lib/project-root.js";
import { storedZip } from "../lib/zip.js";

export interface SlackCommandFunctionProps {
  /** owner/name of the repository that receives the `repository_dispatch`. */
  readonly repository: string;
  /** Function name; also the prefix of its secrets' names. @default "super-terraform-slack-command" */
  readonly functionName?: string;
  /** GitHub API base URL (GitHub Enterprise Server has its own). @default "https://api.github.com" */
  readonly githubApiUrl?: string;
  /** ARN patterns of break-glass roles that may also read the secrets. @default - the function only */
  readonly breakGlassRoleArns?: readonly string[];
}

/** Files of slack-command/ that run in Lambda: the handler and its Lambda adapter. */
const SOURCES = ["handler.ts", "lambda.ts"];
const SOURCE_DIR = path.join(projectRoot(import.meta.url), "slack-command");

/** Where built packages are kept between synths, by a hash of their sources. */
const CACHE_DIR = path.join(tmpdir(), "super-terraform-assets");

/**
 * The Lambda package: the TypeScript sources transpiled to ES modules (they only use Node
 * built-ins and the runtime's AWS SDK, so nothing is bundled), zipped deterministically, and
 * written to a file named by the hash of its sources. An existing file is reused: loading the
 * TypeScript compiler costs ~0.3 s and ~50 MB, so only the first synth after a change pays it.
 */
function buildPackage(): { file: string; sha256: string } {
  const sources = SOURCES.map((f) => readFileSync(path.join(SOURCE_DIR, f), "utf8"));
  const key = createHash("sha256").update(JSON.stringify([PACKAGE_FORMAT, ...sources])).digest("hex").slice(0, 16);
  const file = path.join(CACHE_DIR, `slack-command-${key}.zip`);
  if (!existsSync(file)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a unique name and renamed, so a concurrent synth never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, transpileAndZip(sources));
    renameSync(partial, file);
  }
  return { file, sha256: createHash("sha256").update(readFileSync(file)).digest("base64") };
}

/** Changes when the way packages are built changes, so the cache never serves an old format. */
const PACKAGE_FORMAT = 1;

function transpileAndZip(sources: readonly string[]): Buffer {
  const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
  const entries = [{ name: "package.json", data: Buffer.from('{"type":"module"}\n') }];
  SOURCES.forEach((file, i) => {
    const out = ts.transpileModule(sources[i]!, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    entries.push({ name: file.replace(/\.ts$/, ".js"), data: Buffer.from(out.outputText) });
  });
  return storedZip(entries);
}

/**
 * The `/super-terraform` Slack slash command as a Lambda function URL. Slack cannot sign AWS
 * requests, so the URL is public and the handler itself rejects anything without a valid,
 * fresh Slack signature. The signing secret and the GitHub token live in Secrets Manager: this
 * construct creates the two secrets empty and passes only their ARNs; a platform admin puts
 * the values in once (see README).
 */
export class SlackCommandFunction extends Construct {
  readonly resource: LambdaFunction;
  readonly url: LambdaFunctionUrl;

  constructor(scope: Construct, id: string, props: SlackCommandFunctionProps) {
    super(scope, id);
    const name = props.functionName ?? "super-terraform-slack-command";
    const signing = new SecretsmanagerSecret(this, "signing-secret", { name: `${name}/slack-signing-secret`, description: "Slack app signing secret; value set by hand" });
    const token = new SecretsmanagerSecret(this, "github-token", { name: `${name}/github-dispatch-token`, description: "GitHub token allowed to create repository dispatches; value set by hand" });

    const role = new IamRole(this, "role", {
      name,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    });
    const logs = new CloudwatchLogGroup(this, "logs", { name: `/aws/lambda/${name}`, retentionInDays: 90 });
    new IamRolePolicy(this, "policy", {
      role: role.name,
      name: "read-secrets-write-logs",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [signing.arn, token.arn] },
          { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logs.arn}:*` },
        ],
      }),
    });

    // Only the function (and break glass) reads the values, whatever IAM policy another role in
    // the account is given: a Pod Identity role or an admin cannot read the GitHub token.
    for (const [id, secret] of [["signing-secret-policy", signing], ["github-token-policy", token]] as const) {
      new SecretsmanagerSecretPolicy(this, id, {
        secretArn: secret.arn,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{
            Sid: "OnlyTheFunctionReads",
            Effect: "Deny",
            Principal: "*",
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
            Condition: { ArnNotLike: { "aws:PrincipalArn": [role.arn, ...(props.breakGlassRoleArns ?? [])] } },
          }],
        }),
      });
    }
    // The package is built outside the repository and copied into the stack by cdktf.
    const pkg = buildPackage();
    const asset = new TerraformAsset(this, "code", { path: pkg.file, type: AssetType.FILE });

    this.resource = new LambdaFunction(this, "Resource", {
      functionName: name,
      role: role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "lambda.handler",
      filename: asset.path,
      sourceCodeHash: pkg.sha256,
      timeout: 10,
      memorySize: 256,
      environment: {
        variables: {
          SIGNING_SECRET_ARN: signing.arn,
          GITHUB_TOKEN_SECRET_ARN: token.arn,
          GITHUB_API_URL: props.githubApiUrl ?? "https://api.github.com",
          GITHUB_REPOSITORY: props.repository,
        },
      },
      dependsOn: [logs],
    });
    this.url = new LambdaFunctionUrl(this, "url", { functionName: this.resource.functionName, authorizationType: "NONE" });
    new LambdaPermission(this, "public-url", {
      functionName: this.resource.functionName,
      action: "lambda:InvokeFunctionUrl",
      principal: "*",
      functionUrlAuthType: "NONE",
      statementId: "slack-command-url",
    });
    new TerraformOutput(this, "command-url", { value: this.url.functionUrl, description: "Request URL to enter in the Slack app's slash command" });
  }
}
