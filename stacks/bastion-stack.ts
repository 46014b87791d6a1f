import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamPolicyAttachment } from "@cdktf/provider-aws/lib/iam-policy-attachment";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { Construct } from "constructs";
import { AccountBaseline } from "../constructs/account-baseline.js";
import { bastionRoleName, teamRoleName } from "../lib/plan/access";
import { configBucketName } from "../lib/plan/log-archive";
import { PlatformStack, type PlatformStackProps } from "./platform-stack.js";

/** SAML's fixed audience for sign-in to the AWS console and CLI. */
const SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";

/**
 * The bastion account: the only way in for people. Each developer signs in through the
 * organization's SAML identity provider to their own role `developer-<key>`, and from there
 * assumes the `team-<service>` roles of the services they own (those roles trust only the
 * owners' bastion roles, and an RCP on the workload OUs denies every other caller).
 *
 * One resource per developer: the permission to assume team roles is one managed policy,
 * attached to every bastion role by a single attachment. The roles name no service, so adding
 * a service never changes this stack; 1,200 developers make about 1,220 resources.
 */
export class BastionStack extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, props);
    const p = this.model.platform;
    const account = p.accounts.bastion.id;
    this.awsProvider({}, { accountId: account });
    const samlProvider = `arn:aws:iam::${account}:saml-provider/${p.access.samlProvider}`;

    const org = new DataAwsOrganizationsOrganization(this, "organization", {});
    const assumeTeamRoles = new IamPolicy(this, "assume-team-roles", {
      name: "developer-assume-team-roles",
      description: "Lets a developer's bastion role assume team roles in the organization's accounts",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Sid: "AssumeTeamRolesInTheOrganization",
          Effect: "Allow",
          // SetSourceIdentity carries the person's identity into the team role's CloudTrail events.
          Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
          Resource: `arn:aws:iam::*:role/${teamRoleName("*")}`,
          Condition: { StringEquals: { "aws:ResourceOrgID": org.id } },
        }],
      }),
    });

    const roles: IamRole[] = [];
    for (const d of this.model.developers) {
      roles.push(new IamRole(this, `developer-${d.key}`, {
        name: bastionRoleName(d.key),
        description: `${d.name}'s way into the organization`,
        maxSessionDuration: p.access.maxSessionSeconds,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{
            Effect: "Allow",
            Principal: { Federated: samlProvider },
            Action: ["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity", "sts:TagSession"],
            // The identity provider must name the developer by email (SAML NameID): a role
            // mapped to the wrong person in the IdP still cannot be assumed.
            Condition: { StringEquals: { "SAML:aud": SAML_AUDIENCE, "SAML:sub": d.email } },
          }],
        }),
        tags: { developer: d.key },
      }));
    }
    if (roles.length > 0) {
      // Exclusive by design: the policy is attached to exactly the bastion roles, nothing else.
      new IamPolicyAttachment(this, "assume-team-roles-attachment", {
        name: "developer-assume-team-roles",
        policyArn: assumeTeamRoles.arn,
        roles: roles.map((r) => r.name),
      });
    }

    // The bastion account carries the baseline in every platform region, from its one stack.
    // The primary region's instance creates Config's service-linked role; the others reference it.
    let configRoleArn: string | undefined;
    for (const region of p.regions) {
      const baseline = new AccountBaseline(this, `baseline-${region}`, { region, configBucketName: configBucketName(p, region), accountGlobal: region === p.regions[0], configRoleArn });
      configRoleArn ??= baseline.configRoleArn;
    }
  }
}
