import { CloudformationStackInstances } from "@cdktf/provider-aws/lib/cloudformation-stack-instances";
import { Construct } from "constructs";
import { OIDC_STACK_SET_NAME, slotValues } from "../lib/plan/oidc";

export interface OidcTrustProps {
  /** The account to trust Terraform Cloud in (may be a Terraform expression, e.g. a vended account's id). */
  readonly accountId: string;
  /** ID of the organization root: with INTERSECTION it narrows the deployment to `accountId` wherever it sits. */
  readonly rootId: string;
  /** Workspaces whose plan and apply roles the account gets. */
  readonly workspaces: readonly string[];
  /** Slots of the StackSet template; more workspaces than slots is an error at synth. */
  readonly slots: number;
  /** Region the instance is deployed in (IAM is global; one region is enough). */
  readonly region: string;
}

/**
 * One account's stack instance of the OIDC trust StackSet, with that account's workspace
 * names as parameters. Targeting the root with an account filter keeps the instance in place
 * when the account moves between OUs.
 */
export class OidcTrust extends Construct {
  readonly resource: CloudformationStackInstances;

  constructor(scope: Construct, id: string, props: OidcTrustProps) {
    super(scope, id);
    this.resource = new CloudformationStackInstances(this, "Resource", {
      stackSetName: OIDC_STACK_SET_NAME,
      deploymentTargets: {
        organizationalUnitIds: [props.rootId],
        accountFilterType: "INTERSECTION",
        accounts: [props.accountId],
      },
      regions: [props.region],
      parameterOverrides: slotValues(props.workspaces, props.slots),
      operationPreferences: { failureToleranceCount: 0, maxConcurrentCount: 1 },
    });
  }
}
