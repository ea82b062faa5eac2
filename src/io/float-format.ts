// Text formatting of float32 values, byte-compatible with the tools whose files we write:
//   numpyRepr: gensim's save_word2vec_format writes repr(numpy.float32), the shortest decimal that reads
//              back as the same float32, positional for 1e-4 <= |x| < 1e16 ("0.5", "1.0"), else
//              scientific ("1e-05", "-2.5e+20").
//   cFloatG:   fastText's .vec writes each value through std::setprecision(5), i.e. C's %.5g. We print
//              %.Pg with P = max(5, shortest round-trip digits): identical bytes to fastText for its own
//              values, and still an exact round trip for any float32.

/** The fewest significant digits (1..9) that read back as exactly this float32. */
export function shortestDigits(x: number): number {
  for (let p = 1; p < 9; p++) if (Math.fround(Number(x.toPrecision(p))) === x) return p;
  return 9;
}

/** Splits x.toPrecision(p) into sign, digit string (no dot) and decimal exponent of the first digit. */
// toPrecision rounds an exact halfway case away from zero; numpy (Dragon4) and glibc's printf round it
// to even. A float32 is exactly representable in a double, so a tie shows as an exact (p+1)-digit
// expansion ending in 5; then we take the even neighbour when it still reads back as x.
function decompose(x: number, p: number): { neg: boolean; digits: string; exp: number } {
  const a = Math.abs(x);
  const parse = (s: string) => {
    const e = s.indexOf('e');
    return { digits: s.slice(0, e).replace('.', ''), exp: Number(s.slice(e + 1)) };
  };
  let { digits, exp } = parse(a.toExponential(p - 1)); // "d.ddde±x"
  const longer = a.toExponential(p);
  const lp = parse(longer);
  if (Number(longer) === a && lp.digits.endsWith('5') && Number(digits[digits.length - 1]) % 2 === 1) {
    const down = lp.digits.slice(0, p);
    const downValue = Number(`${down[0]}.${down.slice(1)}e${lp.exp}`);
    if (Math.fround(downValue) === Math.fround(a)) {
      digits = down;
      exp = lp.exp;
    }
  }
  return { neg: x < 0 || Object.is(x, -0), digits, exp };
}

function expText(exp: number): string {
  const a = Math.abs(exp);
  return (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
}

function positional(digits: string, exp: number): { int: string; frac: string } {
  if (exp < 0) return { int: '0', frac: '0'.repeat(-exp - 1) + digits };
  if (digits.length <= exp + 1) return { int: digits + '0'.repeat(exp + 1 - digits.length), frac: '' };
  return { int: digits.slice(0, exp + 1), frac: digits.slice(exp + 1) };
}

/** repr(numpy.float32(x)) for numpy >= 1.14. */
export function numpyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const { neg, digits: raw, exp } = decompose(x, shortestDigits(x));
  const digits = raw.replace(/0+$/, '') || '0';
  const sign = neg ? '-' : '';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e16) {
    const { int, frac } = positional(digits, exp);
    return `${sign}${int}.${frac || '0'}`;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return sign + mant + expText(exp);
}

/** C's printf("%.Pg") with P = max(minDigits, shortest round-trip digits). */
export function cFloatG(x: number, minDigits = 5): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.max(minDigits, shortestDigits(x));
  const { neg, digits: raw, exp } = decompose(x, p);
  const digits = raw.replace(/0+$/, '') || '0';
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= p) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return sign + mant + expText(exp);
  }
  const { int, frac } = positional(digits, exp);
  return sign + int + (frac ? '.' + frac : '');
}
