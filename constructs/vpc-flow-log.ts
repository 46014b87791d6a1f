import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Construct } from "constructs";

export interface VpcFlowLogProps {
  readonly vpcId: string;
  /** ARN of the log archive bucket (see `lib/plan/network.ts` `networkLogBucketArn`). */
  readonly bucketArn: string;
  /**
   * Which traffic to record.
   * @default "ALL" - accepted and rejected traffic; the organization records all of it
   */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
}

/**
 * Flow logs of a VPC, delivered straight to the log archive bucket of the region. S3 delivery
 * needs no IAM role in this account: the bucket policy (owned by the log-archive stack)
 * admits delivery.logs.amazonaws.com for the organization's accounts.
 */
export class VpcFlowLog extends Construct {
  readonly resource: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    this.resource = new FlowLog(this, "Resource", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "s3",
      logDestination: props.bucketArn,
      // Hourly partitions keep Athena queries over a day's traffic cheap.
      destinationOptions: { fileFormat: "parquet", perHourPartition: true, hiveCompatiblePartitions: true },
    });
  }
}
