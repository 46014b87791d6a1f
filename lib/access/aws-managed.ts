import type { PolicyDocument } from "./world";

/*
 * Stand-ins for the AWS managed policies the organization attaches. Their real documents live
 * in AWS and change over time (ReadOnlyAccess has thousands of actions), and nothing here is
 * fetched, so each stand-in keeps the shape that matters to the proofs: AdministratorAccess
 * allows everything; ReadOnlyAccess reads metadata and data alike (`Get*`, `List*`,
 * `Describe*`, and the data reads the real policy grants, such as `s3:GetObject`,
 * `dynamodb:Scan`, `ssm:GetParameter`, `sqs:ReceiveMessage`, `lambda:GetFunction`; never
 * `secretsmanager:GetSecretValue`, which the real policy does not grant either).
 * A managed policy not listed here is treated as granting nothing and reported by the proofs.
 */

const allow = (Action: string[]): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource: "*" }] });

const READ_SERVICES = [
  "access-analyzer", "cloudtrail", "cloudwatch", "config", "dynamodb", "ec2", "ecr", "eks", "elasticloadbalancing", "guardduty", "iam",
  "kms", "lambda", "logs", "organizations", "ram", "route53", "s3", "secretsmanager", "securityhub", "sns", "sqs", "ssm", "sts", "tag",
];

/** AWS managed policy ARN -> stand-in document. */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  "arn:aws:iam::aws:policy/AdministratorAccess": allow(["*"]),
  "arn:aws:iam::aws:policy/ReadOnlyAccess": allow([
    ...READ_SERVICES.flatMap((s) => [`${s}:Describe*`, `${s}:Get*`, `${s}:List*`]),
    "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "ecr:BatchGetImage", "sqs:ReceiveMessage",
  ].filter((a) => a !== "secretsmanager:Get*").concat(["secretsmanager:GetResourcePolicy"])),
  "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations": allow(["organizations:Describe*", "organizations:List*", "config:Describe*", "config:Get*", "config:List*"]),
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly": allow(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:Describe*", "ecr:List*"]),
  "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy": allow(["ec2:Describe*", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "elasticloadbalancing:*", "kms:DescribeKey"]),
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy": allow(["ec2:Describe*", "eks:DescribeCluster"]),
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy": allow(["ec2:AssignPrivateIpAddresses", "ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:Describe*"]),
};
