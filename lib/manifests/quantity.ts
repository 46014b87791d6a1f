/** Kubernetes CPU quantity in millicores ("2" = 2000, "250m" = 250, "0.5" = 500). */
export function millicores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as const;

/** Kubernetes memory quantity in bytes ("512Mi", "2Gi"); a plain number is bytes. */
export function bytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] ? BINARY[m[2] as keyof typeof BINARY] : 1);
}

/** Millicores as people write them: whole cores when exact ("20"), else millicores ("1500m"). */
export function showCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes in the largest binary unit that divides them ("64Gi", "1536Mi"). */
export function showMemory(b: number): string {
  for (const unit of ["Ti", "Gi", "Mi", "Ki"] as const) if (b % BINARY[unit] === 0 && b >= BINARY[unit]) return `${b / BINARY[unit]}${unit}`;
  return String(b);
}
