/** Reading a benchmark's command line: `--name N` options. */

/** The number after `name` in `args`, or `fallback`; throws when it is not a number ≥ `min`. */
export function numberOption(args: readonly string[], name: string, fallback: number, min = 1): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number ≥ ${min}, got ${args[at + 1]}`);
  return value;
}
