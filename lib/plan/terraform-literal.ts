/**
 * A string Terraform must read literally. Terraform treats every `${` and `%{` in a JSON
 * configuration string as the start of an interpolation or directive, so text that carries its
 * own placeholders (a CloudFormation `Fn::Sub` template, a shell snippet) must reach
 * `cdk.tf.json` with them doubled: `$${` and `%%{`. (split/join, not replaceAll: in a
 * replacement string `$$` itself means one `$`.)
 */
export function terraformLiteral(text: string): string {
  return text.split("${").join("$${").split("%{").join("%%{");
}
