/*
 * IPv4 CIDR arithmetic for allocating service VPC blocks. Pure; used by `npm run new-service`
 * to propose the first free block of a pool.
 */

/** [first address, last address] of a CIDR block, as unsigned 32-bit numbers. */
export function cidrRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split("/");
  const octets = (ip ?? "").split(".").map(Number);
  const prefix = Number(bits);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`"${cidr}" is not an IPv4 CIDR block`);
  }
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const size = 2 ** (32 - prefix);
  const first = base - (base % size);
  return [first, first + size - 1];
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Whether two blocks share any address. */
export function overlaps(a: string, b: string): boolean {
  const [a0, a1] = cidrRange(a);
  const [b0, b1] = cidrRange(b);
  return a0 <= b1 && b0 <= a1;
}

/** The first block of `prefix` bits inside `pool` that overlaps none of `taken`, or undefined when the pool is full. */
export function firstFreeBlock(pool: string, prefix: number, taken: readonly string[]): string | undefined {
  const [start, end] = cidrRange(pool);
  const size = 2 ** (32 - prefix);
  for (let at = start; at + size - 1 <= end; at += size) {
    const candidate = `${toIp(at)}/${prefix}`;
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  return undefined;
}
