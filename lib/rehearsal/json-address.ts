/*
 * Terraform points at a JSON configuration's problem by byte offset. A reviewer wants the
 * Terraform address (`aws_cloudformation_stack_set.oidc`), so the offset is traced back to the
 * key path that holds it.
 */

/** The key path (object keys and array indexes) of the innermost JSON value at `offset` (a character index). */
export function jsonPathAt(text: string, offset: number): (string | number)[] {
  let best: (string | number)[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (at: (string | number)[]): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      while (text[i] !== "}" && i < text.length) {
        ws();
        const keyStart = i;
        const key = str();
        if (offset >= keyStart && offset < i) best = [...at, key];
        ws();
        i++; // ':'
        value([...at, key]);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === "[") {
      i++;
      ws();
      let index = 0;
      while (text[i] !== "]" && i < text.length) {
        value([...at, index++]);
        ws();
        if (text[i] === ",") i++;
        ws();
      }
      i++;
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
    if (offset >= start && offset < i && at.length >= best.length) best = at;
  };
  value([]);
  return best;
}

/** The Terraform address of what a key path points into: `aws_s3_bucket.logs`, `data.aws_iam_policy_document.x`, `provider.aws.network`. */
export function addressOfPath(pathKeys: readonly (string | number)[], json?: any): string {
  const [section, a, b] = pathKeys;
  if (section === "resource" && typeof a === "string" && typeof b === "string") return `${a}.${b}`;
  if (section === "data" && typeof a === "string" && typeof b === "string") return `data.${a}.${b}`;
  if (section === "provider" && typeof a === "string") {
    const config = typeof b === "number" ? json?.provider?.[a]?.[b] : undefined;
    return config?.alias ? `provider.${a}.${config.alias}` : `provider.${a}`;
  }
  if (section === "output" && typeof a === "string") return `output.${a}`;
  if (section === "locals" && typeof a === "string") return `local.${a}`;
  if (section === "variable" && typeof a === "string") return `var.${a}`;
  if (typeof section === "string") return section;
  return "(stack)";
}

/** Where in a stack a Terraform diagnostic points. */
export interface JsonLocation {
  /** Terraform address of the block (`aws_s3_bucket.logs`), or the top-level section. */
  readonly address: string;
  /** The argument inside the block, dotted (`template_body`, `rule.0.filter`); empty for the block itself. */
  readonly argument: string;
}

/** How many keys of a path name the block itself: `resource.<type>.<name>`, `provider.<name>.<index>`, `output.<name>`. */
function blockDepth(pathKeys: readonly (string | number)[]): number {
  const section = pathKeys[0];
  if (section === "resource" || section === "data" || section === "provider") return 3;
  if (section === "output" || section === "locals" || section === "variable") return 2;
  return 1;
}

/** The block and argument at a byte offset of a JSON configuration file's text. */
export function locate(text: string, byteOffset: number): JsonLocation {
  const offset = Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8").length;
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    return { address: "(stack)", argument: "" };
  }
  const pathKeys = jsonPathAt(text, offset);
  return { address: addressOfPath(pathKeys, json), argument: pathKeys.slice(blockDepth(pathKeys)).join(".") };
}
