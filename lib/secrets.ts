/**
 * Patterns of credentials that must never appear in config or synthesized output. Each is
 * specific enough not to match hashes or IDs that Terraform JSON legitimately contains.
 */
export const SECRET_PATTERNS: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp }> = [
  { name: "AWS access key ID", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "AWS secret access key", pattern: /aws_secret_access_key["'\s:=]+[A-Za-z0-9/+]{40}/i },
  { name: "GitHub token", pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{60,}/ },
  { name: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: "Slack webhook URL", pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { name: "Terraform Cloud token", pattern: /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}/ },
  { name: "Datadog key", pattern: /(api_key|app_key|dd_api_key|dd_app_key)["'\s:=]+[0-9a-f]{32,40}\b/i },
  { name: "PagerDuty token", pattern: /\b(token)["'\s:=]+u\+[A-Za-z0-9_-]{18,}/i },
  { name: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** Every secret-looking string in a text, with the pattern that matched. */
export function findSecrets(text: string): Array<{ name: string; match: string }> {
  const found: Array<{ name: string; match: string }> = [];
  for (const { name, pattern } of SECRET_PATTERNS) {
    const m = pattern.exec(text);
    // Report only a prefix: the scan must not print the secret it found.
    if (m) found.push({ name, match: `${m[0].slice(0, 8)}...` });
  }
  return found;
}
