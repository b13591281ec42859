/**
 * A seeded pseudo-random generator: the same seed gives the same sequence on every machine and
 * Node version (Math.random cannot be seeded). sfc32, seeded from the seed string with
 * cyrb128: small, fast and with no visible bias at the sizes a generated repository needs.
 */

/** Four 32-bit words from a string: cyrb128 (public domain). */
function cyrb128(str) {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * @typedef {object} Rng
 * @property {() => number} next        a float in [0, 1)
 * @property {(n: number) => number} int an integer in [0, n)
 * @property {(p: number) => boolean} chance true with probability p
 * @property {<T>(items: readonly T[]) => T} pick one element, uniformly
 * @property {<T>(items: readonly {weight: number, value: T}[]) => T} weighted one value, by weight
 * @property {<T>(items: readonly T[]) => T[]} shuffle a shuffled copy (Fisher-Yates)
 * @property {<T>(items: readonly T[], n: number) => T[]} sample n distinct elements, in input order
 * @property {(label: string) => Rng} fork an independent stream: draws from it never shift this one
 */

/** @returns {Rng} */
export function createRng(seed) {
  const seedText = String(seed);
  let [a, b, c, d] = cyrb128(seedText);
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 mixes its state over its first few rounds.
  for (let i = 0; i < 15; i++) next();
  const int = (n) => Math.floor(next() * n);
  const rng = {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)];
    },
    weighted: (items) => {
      const total = items.reduce((s, i) => s + i.weight, 0);
      let r = next() * total;
      for (const item of items) {
        r -= item.weight;
        if (r < 0) return item.value;
      }
      return items[items.length - 1].value;
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    sample: (items, n) => {
      const chosen = new Set(rng.shuffle(items.map((_, i) => i)).slice(0, n));
      return items.filter((_, i) => chosen.has(i));
    },
    fork: (label) => createRng(`${seedText}/${label}`),
  };
  return rng;
}
