import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Construct } from "constructs";

export interface VpcFlowLogProps {
  readonly vpcId: string;
  /**
   * ARN of the log archive bucket and folder, `arn:aws:s3:::<bucket>/<folder>/` (see
   * `lib/plan/network.ts` `flowLogDestinationArn`).
   */
  readonly destinationArn: string;
  /**
   * Which traffic to record.
   * @default "ALL" - accepted and rejected traffic; the organization records all of it
   */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
}

/**
 * Flow logs of a VPC, delivered straight to the network logs bucket of the region in the log
 * archive account. S3 delivery needs no IAM role in this account: the bucket policy and the
 * log archive key (both owned by the log-archive-<region> stack, applied in an earlier wave)
 * admit delivery.logs.amazonaws.com for the organization's accounts.
 */
export class VpcFlowLog extends Construct {
  readonly resource: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    this.resource = new FlowLog(this, "Resource", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "s3",
      logDestination: props.destinationArn,
      // Hourly partitions keep Athena queries over a day's traffic cheap.
      destinationOptions: { fileFormat: "parquet", perHourPartition: true, hiveCompatiblePartitions: true },
    });
  }
}
