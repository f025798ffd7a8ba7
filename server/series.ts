/** The first free series letter(s) of a clinic: A, B, … Z, AA, AB, … (MRNs, bills and Rx carry it). */
export function nextPrefix(taken: Set<string>): string {
  for (let n = 0; ; n++) {
    let s = '';
    let k = n;
    do {
      s = String.fromCharCode(65 + (k % 26)) + s;
      k = Math.floor(k / 26) - 1;
    } while (k >= 0);
    if (!taken.has(s)) return s;
  }
}
