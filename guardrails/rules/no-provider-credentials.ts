import type { Rule } from "../rule.js";

/** Provider arguments that hold a secret; each provider reads them from the environment instead. */
export const CREDENTIAL_ARGUMENTS = new Set(["token", "api_key", "app_key", "access_key", "secret_key", "password", "credentials", "client_secret"]);

/**
 * A value that is only a reference to a data source's attribute, such as an EKS token minted
 * at run time by `aws_eks_cluster_auth`: no secret is written into the JSON.
 */
const RUNTIME_REFERENCE = /^\$\{data\.[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z0-9_]+\}$/;

/**
 * A value HCP Terraform's dynamic provider credentials hand over during the run: the file of
 * this phase's token (`file(var.tfc_<provider>_dynamic_credentials.<default|aliases["TAG"]>.token_path)`)
 * or Google's external-account configuration (`var.tfc_gcp_dynamic_credentials...credentials`).
 */
const DYNAMIC_CREDENTIALS = /^\$\{(file\(var\.tfc_[a-z]+_dynamic_credentials\.(default|aliases\["[A-Za-z0-9_]+"\])\.token_path\)|var\.tfc_gcp_dynamic_credentials\.(default|aliases\["[A-Za-z0-9_]+"\])\.credentials)\}$/;

/**
 * No provider block carries a credential: synthesized JSON is committed, printed and uploaded,
 * so tokens come only from the workspace's sensitive variables (GITHUB_TOKEN, DD_API_KEY,
 * PAGERDUTY_TOKEN, SLACK_TOKEN, TFE_TOKEN) or dynamic credentials.
 */
export const noProviderCredentials: Rule = {
  id: "security/no-provider-credentials",
  pack: "security",
  severity: "error",
  description: "provider blocks hold no tokens, keys or passwords",
  check: (stack) =>
    Object.entries<any[]>(stack.json.provider ?? {}).flatMap(([provider, blocks]) =>
      (Array.isArray(blocks) ? blocks : [blocks]).flatMap((block) =>
        Object.keys(block ?? {})
          .filter((arg) => CREDENTIAL_ARGUMENTS.has(arg) && !(typeof block[arg] === "string" && (RUNTIME_REFERENCE.test(block[arg]) || DYNAMIC_CREDENTIALS.test(block[arg]))))
          .map((arg) => ({
            path: `${stack.stack}/provider/${provider}`,
            message: `provider "${provider}" sets "${arg}" in code`,
            fix: `remove it; set the provider's environment variable as a sensitive variable of workspace "${stack.stack}"`,
          })))),
};
