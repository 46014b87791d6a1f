import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../lib/config/load";
import { OIDC_STACK_SET_NAME } from "../lib/plan/oidc";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { planStacks } from "../lib/plan/stack-plan";
import { validate } from "../lib/config/validate";
import { managementBootstrap } from "../lib/plan/workspace-plan";
import { sharedClusterName } from "../lib/plan/cluster";
import { gkeClusterBootstrap, sharedClusterRbac } from "../lib/plan/kubernetes-access";
import { argoCdRbacConfigMap, argoCdRegion } from "../lib/plan/argocd";

/**
 * `npm run oidc-bootstrap` writes the management account's trust template to
 * cdktf.out/bootstrap/ and prints the one command an administrator of the management account
 * runs once (README: "First apply"). It also writes each shared cluster's RBAC for HCP
 * Terraform's Kubernetes identities (`kubernetes-rbac-<cluster>.json`), applied once per
 * cluster after its stack, the GKE cluster's Identity Service config and shard RBAC
 * (`kubernetes-gke-<cluster>.json`), and Argo CD's global RBAC (`argocd-rbac-cm.json`), applied
 * with Argo CD's installation (the `argocd` prerequisite). It needs no credentials itself.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
try {
  const model = validate(await loadConfig(path.join(root, "config"), "config"));
  const { template, parameters } = managementBootstrap(model.platform, planStacks(model));
  const dir = path.join(root, "cdktf.out", "bootstrap");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "management-oidc-trust.json");
  writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
  const rbacFiles = model.platform.regions.map((region) => {
    const rbac = path.join(dir, `kubernetes-rbac-${sharedClusterName(model.platform, region)}.json`);
    writeFileSync(rbac, `${JSON.stringify(sharedClusterRbac(model.platform, region), null, 2)}\n`);
    return path.relative(process.cwd(), rbac);
  });
  const argoCdRbac = path.join(dir, "argocd-rbac-cm.json");
  writeFileSync(argoCdRbac, `${JSON.stringify(argoCdRbacConfigMap(model.platform), null, 2)}\n`);
  // The GKE cluster's Identity Service config and shard RBAC (lib/plan/kubernetes-access.ts).
  const gkeFile = model.platform.gke ? path.join(dir, `kubernetes-gke-${model.platform.gke.clusterName}.json`) : undefined;
  if (gkeFile) writeFileSync(gkeFile, `${JSON.stringify(gkeClusterBootstrap(model.platform), null, 2)}\n`);
  const overrides = Object.entries(parameters).map(([k, v]) => `${k}=${v}`).join(" \\\n      ");
  process.stdout.write([
    `Wrote ${path.relative(process.cwd(), file)}.`,
    ``,
    `Run once, as an administrator of the management account (${model.platform.accounts.management.id}), in ${model.platform.regions[0]}:`,
    ``,
    `  aws cloudformation deploy --stack-name ${OIDC_STACK_SET_NAME} \\`,
    `    --region ${model.platform.regions[0]} --capabilities CAPABILITY_NAMED_IAM \\`,
    `    --template-file ${path.relative(process.cwd(), file)} \\`,
    `    --parameter-overrides \\`,
    `      ${overrides}`,
    ``,
    `Wrote ${rbacFiles.join(", ")}: after each cluster-<region> stack has applied, apply its file once with kubectl (README "First apply").`,
    `Wrote ${path.relative(process.cwd(), argoCdRbac)}: apply it with Argo CD's installation on ${sharedClusterName(model.platform, argoCdRegion(model.platform))} (the argocd prerequisite).`,
    ...(gkeFile ? [`Wrote ${path.relative(process.cwd(), gkeFile)}: after the gke stack has applied, apply it once with kubectl apply --server-side, as a cluster admin from inside the cluster's network (README "First apply").`] : []),
    ``,
  ].join("\n"));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(formatProblems(error.problems));
  process.exitCode = 1;
}
