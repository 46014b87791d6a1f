/** A minimal valid prod service entry for network tests; `key` keeps its email and Slack handle unique. */
export function service(key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: `${key} service`,
    owners: ["alice"],
    account: { email: `aws+${key}@example.com`, ou: "workloads-prod" },
    regions: ["ap-northeast-1"],
    kubernetes: { tenancy: "shared" },
    slack: { handle: `${key}-team`.slice(0, 21) },
    ...overrides,
  };
}
