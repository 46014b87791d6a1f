/** cdktf's process-wide token map (cdktf/lib/tokens/private/token-map.js), as far as it is used here. */
interface TokenMapLike {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/**
 * Marks where cdktf's token map stands now; the returned function forgets every token
 * registered since.
 *
 * cdktf keeps every token it ever encodes (a reference, a lazy value) in one process-wide map,
 * and a reference token holds its stack, so no synthesized stack could be garbage-collected
 * before the process ends: memory grew with the organization. The synthesis here builds,
 * writes and drops one stack at a time (synth.ts), and stacks share no tokens by design (no
 * cross-stack references; the `no-cross-stack-reference` guardrail fails the synth on one), so
 * the tokens of a written stack are dead. Were one used again, cdktf would throw "Unrecognized
 * token key", never write a wrong value. Tokens registered before the mark (at module load)
 * are kept. Without the map where cdktf 0.21 keeps it, this does nothing.
 */
export function markTokens(): () => void {
  const map = (globalThis as { __cdktfTokenMap?: Partial<TokenMapLike> }).__cdktfTokenMap;
  if (!(map?.stringTokenMap instanceof Map) || !(map.numberTokenMap instanceof Map)) return () => {};
  const strings = map.stringTokenMap;
  const numbers = map.numberTokenMap;
  const keptStrings = strings.size;
  const keptNumbers = numbers.size;
  return () => {
    forgetAfter(strings, keptStrings);
    forgetAfter(numbers, keptNumbers);
  };
}

/** Deletes the entries of `map` after its first `kept` (a Map iterates in insertion order). */
function forgetAfter<K>(map: Map<K, unknown>, kept: number): void {
  let i = 0;
  for (const key of map.keys()) if (i++ >= kept) map.delete(key);
}
