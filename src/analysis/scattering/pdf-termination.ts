import FFT from 'fft.js';

// Qmax termination of a calculated G(r), as PDFfit2 applies it (libpdffit2 pdf.cc,
// DataSet::applyQmaxCutoff): the slice is zero-padded to padlen = 2^ceil(log2(2 n)), Fourier
// transformed, the components of index ceil(Qmax / dQ) .. padlen - ceil(Qmax / dQ) zeroed, with
// dQ = 2 pi / ((padlen - 1) dr) (PDFfit2's padlen - 1, not padlen: kept so that the numbers are
// PDFfit2's), transformed back and the real part kept.

/** Number of sinc ripples the calculation range is extended by before the cut (PDFfit2: 6). */
export const TERMINATION_RIPPLES = 6;

/** Width (A) by which PDFfit2 extends the calculation range on each side for a given Qmax. */
export const terminationExtension = (qmax: number): number =>
  qmax > 0 ? (TERMINATION_RIPPLES * 2 * Math.PI) / qmax : 0;

const ffts = new Map<number, FFT>();
const fftOf = (n: number): FFT => {
  let f = ffts.get(n);
  if (!f) {
    f = new FFT(n);
    ffts.set(n, f);
  }
  return f;
};

/**
 * Apply the Qmax cut-off in place to y[from .. from + len - 1] (grid step dr in A, qmax in 1/A).
 */
export const applyQmaxCutoff = (
  y: Float64Array,
  from: number,
  len: number,
  dr: number,
  qmax: number,
): void => {
  if (!(qmax > 0) || len <= 0) return;
  const padlen = Math.max(2, 2 ** Math.ceil(Math.log2(2 * len)));
  const fft = fftOf(padlen);
  const data = fft.createComplexArray() as number[];
  for (let i = 0; i < len; i++) data[2 * i] = y[from + i];
  const spec = fft.createComplexArray() as number[];
  fft.transform(spec, data);
  const dQ = (2 * Math.PI) / ((padlen - 1) * dr);
  const lo = Math.ceil(qmax / dQ);
  const hi = padlen + 1 - lo;
  for (let i = lo; i < hi; i++) {
    spec[2 * i] = 0;
    spec[2 * i + 1] = 0;
  }
  fft.inverseTransform(data, spec);
  for (let i = 0; i < len; i++) y[from + i] = data[2 * i];
};
