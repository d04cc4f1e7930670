/**
 * Kubernetes quantities for `resources: { cpu, memory }`, read the way every target can realize
 * them: CPU as whole millicores ('500m', '0.5', '2'), memory as bytes ('512Mi', '1Gi', '256M').
 * A value that is not one gets a problem in words and, where the intent is clear, the quantity
 * meant ('512MB' → '512Mi', '0.5 cores' → '0.5', '250 millicores' → '250m').
 */

export type QuantityParse =
  /** CPU in millicores, memory in bytes. */
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly problem: string; readonly suggestion?: string };

/** Docker refuses a memory limit below 6 MiB; no program runs in less. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Units people write for memory (lowercased) → the binary unit they mean (Docker reads 512m and 1g as MiB and GiB). */
const MEMORY_ALIASES: Readonly<Record<string, string>> = {
  k: 'Ki', kb: 'Ki', ki: 'Ki', kib: 'Ki',
  m: 'Mi', mb: 'Mi', mi: 'Mi', mib: 'Mi',
  g: 'Gi', gb: 'Gi', gi: 'Gi', gib: 'Gi',
  t: 'Ti', tb: 'Ti', ti: 'Ti', tib: 'Ti',
};

const CPU_FORMS = "write cores ('1', '0.5') or millicores ('500m')";
const MEMORY_FORMS = "units are Ki, Mi, Gi, Ti (powers of 1024, '512Mi') or k, M, G, T (powers of 1000, '256M')";

/** A CPU quantity in millicores. */
export function parseCpu(text: string): QuantityParse {
  const milli = /^([0-9]{1,9})m$/.exec(text);
  if (milli) return atLeastOneMilli(text, Number(milli[1]));
  const cores = /^([0-9]{1,6})(?:\.([0-9]+))?$/.exec(text);
  if (cores) {
    const decimals = cores[2] ?? '';
    if (decimals.length > 3) return { ok: false, problem: `'${text}' has more than 3 decimals: CPU is counted in millicores (1m is 0.001 cores)` };
    return atLeastOneMilli(text, Number(cores[1]) * 1000 + Number(decimals.padEnd(3, '0')));
  }
  return { ok: false, problem: `'${text}' is not a CPU quantity: ${CPU_FORMS}`, ...cpuSuggestion(text) };
}

/** A memory quantity in bytes. */
export function parseMemory(text: string): QuantityParse {
  const exact = /^([0-9]{1,15}(?:\.[0-9]{1,6})?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(text);
  if (exact) {
    const bytes = Number(exact[1]) * (MEMORY_UNITS[exact[2] ?? ''] ?? 1);
    if (bytes >= MIN_MEMORY_BYTES) return { ok: true, value: bytes };
    // A bare number this small was meant in MiB (as Compose's mem_limit often is).
    const meant = exact[2] === undefined && /^[0-9]+$/.test(exact[1] ?? '') && Number(exact[1]) >= 6 && Number(exact[1]) <= 2 ** 20 ? `${exact[1]}Mi` : undefined;
    return { ok: false, problem: `'${text}' is ${bytes} bytes, below 6Mi, the least memory a container can be given`, ...(meant ? { suggestion: meant } : {}) };
  }
  const loose = /^\s*([0-9]{1,15}(?:\.[0-9]{1,6})?)\s*([A-Za-z]*)\s*$/.exec(text);
  const unit = loose?.[2] ?? '';
  const alias = MEMORY_ALIASES[unit.toLowerCase()];
  const suggestion = loose && alias !== undefined ? `${loose[1] ?? ''}${alias}` : loose && unit in MEMORY_UNITS ? `${loose[1] ?? ''}${unit}` : undefined;
  const valid = suggestion !== undefined && parseMemory(suggestion).ok ? { suggestion } : {};
  const why = unit === 'm' ? `'${text}' means milli-bytes to Kubernetes (m is 1/1000)` : `'${text}' is not a memory quantity`;
  return { ok: false, problem: `${why}: ${MEMORY_FORMS}`, ...valid };
}

function atLeastOneMilli(text: string, millicores: number): QuantityParse {
  return millicores >= 1 ? { ok: true, value: millicores } : { ok: false, problem: `'${text}' is no CPU at all: the least is 1m (0.001 cores)` };
}

/** The CPU quantity a loosely written one means: '0.5 cores' → '0.5', '.5' → '0.5', '250 millicores' → '250m'. */
function cpuSuggestion(text: string): { suggestion?: string } {
  const cores = /^\s*([0-9]*\.?[0-9]+)\s*(?:cores?|cpus?|vcpus?)?\s*$/i.exec(text);
  const milli = /^\s*([0-9]+)\s*(?:m|mc|mcpu|millis?|millicores?|millicpus?)\s*$/i.exec(text);
  const meant = cores ? (cores[1] ?? '').replace(/^\./, '0.') : milli ? `${milli[1] ?? ''}m` : undefined;
  return meant !== undefined && meant !== text && parseCpu(meant).ok ? { suggestion: meant } : {};
}
