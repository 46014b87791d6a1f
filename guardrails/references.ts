/** The resource name a synthesized reference such as "${aws_vpc.vpc_ABC123.id}" points at, if it is one of `type`. */
export function referencedName(value: unknown, type: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(value);
  return m && m[1] === type ? m[2] : undefined;
}
