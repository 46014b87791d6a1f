import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AgentToken } from "@cdktf/provider-tfe/lib/agent-token";
import { DataTfeAgentPool } from "@cdktf/provider-tfe/lib/data-tfe-agent-pool";
import { Construct } from "constructs";

/** HCP Terraform agent image, pinned (https://releases.hashicorp.com/tfc-agent/). */
export const TFC_AGENT_IMAGE = "hashicorp/tfc-agent:1.28.2";

export interface TerraformCloudAgentsProps {
  /** Name of the agent pool (created by the `workspaces` stack, looked up here by name). */
  readonly poolName: string;
  /** Region of the agents (their log driver needs it spelled out). */
  readonly region: string;
  /** HCP Terraform organization of the pool. */
  readonly organization: string;
  /** Private subnets the agents run in: the cluster's own, so they reach its private endpoint. */
  readonly subnetIds: string[];
  /** VPC of those subnets. */
  readonly vpcId: string;
  /** Security group of the cluster's control plane, opened to the agents on 443. */
  readonly clusterSecurityGroupId: string;
  /** Number of agents; each runs one plan or apply at a time. @default 2 */
  readonly count?: number;
  /** Container image. @default TFC_AGENT_IMAGE */
  readonly image?: string;
  /** Days to keep the agents' logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Tags for the resources. @default - the provider's default tags only */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * HCP Terraform agents of one region, as an ECS Fargate service in the cluster account's VPC,
 * next to the cluster whose private API endpoint they reach. Fargate rather than pods on the
 * cluster itself: the agents must run before anything can be deployed into the cluster, and
 * must keep running when the cluster's nodes are being replaced.
 *
 * The agent token is created here, by the stack that runs the agents, and goes from the
 * token resource into a Secrets Manager secret the task reads at start: it is never in code,
 * in an output or in a person's hands. It does live in this workspace's state (sensitive).
 * The agents need no AWS role of their own: each run brings its workspace's dynamic
 * credentials.
 */
export class TerraformCloudAgents extends Construct {
  readonly service: EcsService;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: TerraformCloudAgentsProps) {
    super(scope, id);
    const count = props.count ?? 2;
    const image = props.image ?? TFC_AGENT_IMAGE;
    const tags = { ...props.tags };
    const name = `tfc-agents-${props.poolName}`;

    const pool = new DataTfeAgentPool(this, "pool", { name: props.poolName, organization: props.organization });
    const token = new AgentToken(this, "token", { agentPoolId: pool.id, description: `ECS service ${name}` });
    const secret = new SecretsmanagerSecret(this, "token-secret", {
      name: `${name}/token`,
      description: `HCP Terraform agent token of pool ${props.poolName}`,
      tags,
    });
    new SecretsmanagerSecretVersion(this, "token-value", { secretId: secret.id, secretString: token.token });

    const logs = new CloudwatchLogGroup(this, "logs", { name: `/ecs/${name}`, retentionInDays: props.logRetentionDays ?? 365, tags });

    // ECS itself (not the agents) reads the token and writes the logs.
    const execution = new IamRole(this, "execution-role", {
      name: `${name}-execution`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
    });
    new IamRolePolicy(this, "execution-policy", {
      role: execution.name,
      name: "agent-token-and-logs",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secret.arn },
          { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logs.arn}:*` },
        ],
      }),
    });

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name,
      description: "HCP Terraform agents: outbound HTTPS only (HCP Terraform, AWS APIs, the cluster API, provider downloads)",
      vpcId: props.vpcId,
      egress: [{ description: "HTTPS", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
      tags,
    });
    new VpcSecurityGroupIngressRule(this, "cluster-api-from-agents", {
      securityGroupId: props.clusterSecurityGroupId,
      description: "HCP Terraform agents reach the private Kubernetes API",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: this.securityGroup.id,
      tags,
    });

    const cluster = new EcsCluster(this, "cluster", { name, setting: [{ name: "containerInsights", value: "enabled" }], tags });
    const task = new EcsTaskDefinition(this, "task", {
      family: name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "1024",
      memory: "2048",
      executionRoleArn: execution.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      containerDefinitions: JSON.stringify([{
        name: "tfc-agent",
        image,
        essential: true,
        environment: [{ name: "TFC_AGENT_NAME", value: name }],
        secrets: [{ name: "TFC_AGENT_TOKEN", valueFrom: secret.arn }],
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logs.name, "awslogs-region": props.region, "awslogs-stream-prefix": "agent" } },
      }]),
      tags,
    });
    this.service = new EcsService(this, "Resource", {
      name,
      cluster: cluster.arn,
      taskDefinition: task.arn,
      desiredCount: count,
      launchType: "FARGATE",
      networkConfiguration: { subnets: props.subnetIds, securityGroups: [this.securityGroup.id], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      tags,
    });
  }
}
