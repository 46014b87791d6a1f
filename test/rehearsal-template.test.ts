import { describe, expect, it } from "vitest";
import { parseTemplate, referencesOf } from "../lib/rehearsal/template";

/** The references an expression makes, as written. */
const refs = (expression: string) => referencesOf(expression).map((r) => r.text);

describe("reading templates and expressions as Terraform does", () => {
  it("splits a string into its interpolations, skipping $${ and %%{ escapes", () => {
    const t = parseTemplate("arn:${aws_iam_role.a.arn}/$${Literal}/%%{x}/${var.b}");
    expect(t.interpolations.map((i) => i.expression)).toEqual(["aws_iam_role.a.arn", "var.b"]);
    expect(t.problems).toEqual([]);
  });

  it("reports an unclosed interpolation and a literal %{ that would start a directive", () => {
    expect(parseTemplate("echo ${HOME").problems).toEqual(['"${HOME" opens an interpolation that is never closed; a literal "${" must be written "$${"']);
    expect(parseTemplate("printf '%{http_code}'").problems).toEqual(['"%{http_code}" starts a template directive; a literal "%{" must be written "%%{"']);
    expect(parseTemplate("%{ if var.x }a%{ endif }").problems).toEqual([]);
  });

  it("finds references in function calls, conditionals, objects, for expressions and index expressions", () => {
    expect(refs('jsonencode({"Statement" = [{ Resource = aws_s3_bucket.logs.arn }]})')).toEqual(["aws_s3_bucket.logs.arn"]);
    expect(refs("var.enabled ? aws_kms_key.k[0].arn : null")).toEqual(["var.enabled", "aws_kms_key.k[0].arn"]);
    expect(refs("[for s in data.aws_subnets.private.ids : s if s != local.skip]")).toEqual(["data.aws_subnets.private.ids", "local.skip"]);
    expect(refs('lookup(var.tags, "team", "platform")')).toEqual(["var.tags"]);
    expect(refs("aws_subnet.a[count.index].id")).toEqual(["aws_subnet.a[count.index].id", "count.index"]);
    expect(refs("aws_subnet.a[*].id")).toEqual(["aws_subnet.a[*].id"]);
    expect(refs('provider::aws::arn_parse(aws_iam_role.a.arn).account_id')).toEqual(["aws_iam_role.a.arn"]);
    expect(refs('"${var.a}-${each.key}"')).toEqual(["var.a", "each.key"]);
    expect(refs("1e3 + 2.5 * true ? 1 : 0")).toEqual([]);
  });

  it("keeps the steps of a reference: attributes, literal indexes, splats and indexes known only at apply", () => {
    const [r] = referencesOf('aws_eks_cluster.main.certificate_authority[0].data');
    expect(r).toEqual({ root: "aws_eks_cluster", text: "aws_eks_cluster.main.certificate_authority[0].data", steps: [{ attr: "main" }, { attr: "certificate_authority" }, { index: 0 }, { attr: "data" }] });
    expect(referencesOf('tfe_outputs.x.values["vpc_id"]')[0]!.steps).toEqual([{ attr: "x" }, { attr: "values" }, { index: "vpc_id" }]);
    expect(referencesOf("aws_subnet.a[var.i].id")[0]!.steps).toEqual([{ attr: "a" }, { dynamic: true }, { attr: "id" }]);
  });
});
