/**
 * Python's `round(x, 1)`, which AMBER applies to every published number. It rounds the exact
 * binary value of x (so 0.35, stored as 0.34999..., gives 0.3) and breaks exact ties to the even
 * digit (0.25 gives 0.2, 0.75 gives 0.8). `Math.round(x * 10) / 10` gets both wrong.
 */
export function pythonRound1(x: number): number {
  if (!Number.isFinite(x)) return x;
  // An exact tie at one decimal is (2k+1)/20, representable in binary only when it is an odd
  // multiple of 1/4 (x.25, x.75); multiplying by 4 is exact.
  const quarters = x * 4;
  if (Number.isInteger(quarters) && Math.abs(quarters % 2) === 1) {
    const tenths = quarters * 2.5; // exact: k.5
    const down = Math.floor(tenths);
    const even = down % 2 === 0 ? down : down + 1;
    return even / 10;
  }
  // toFixed picks the decimal nearest to the exact value of x; only ties (handled above) differ.
  return Number(x.toFixed(1));
}
