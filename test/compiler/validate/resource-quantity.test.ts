/**
 * parseCpu / parseMemory: Kubernetes quantities as millicores and bytes; anything else is a
 * problem, with the quantity meant when the intent is clear.
 */
import { describe, expect, it } from 'vitest';
import { MIN_MEMORY_BYTES, parseCpu, parseMemory } from '../../../src/compiler/validate/resource-quantity.js';

describe('parseCpu', () => {
  it.each([
    ['500m', 500],
    ['1m', 1],
    ['1', 1000],
    ['0.5', 500],
    ['2.25', 2250],
    ['0.001', 1],
    ['16', 16000],
  ])('%s is %d millicores', (text, millicores) => {
    expect(parseCpu(text)).toEqual({ ok: true, value: millicores });
  });

  it.each([
    ['0.5 cores', '0.5'],
    ['1 core', '1'],
    ['2 CPUs', '2'],
    ['.25', '0.25'],
    ['250 millicores', '250m'],
    ['250millicpu', '250m'],
    [' 500m ', '500m'],
  ])('refuses %j and means %j', (text, meant) => {
    expect(parseCpu(text)).toMatchObject({ ok: false, suggestion: meant });
  });

  it.each(['0', '0m', '0.0', '1.5m', '0.0005', '50%', '1k', '', 'm', '-1'])('refuses %j without a guess', (text) => {
    const r = parseCpu(text);
    expect(r.ok).toBe(false);
    expect(r.ok || r.suggestion).toBeUndefined();
  });
});

describe('parseMemory', () => {
  it.each([
    ['512Mi', 512 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['256M', 256e6],
    ['2G', 2e9],
    ['6Mi', MIN_MEMORY_BYTES],
    ['10000000', 1e7],
    ['1Ti', 2 ** 40],
    ['7000k', 7e6],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseMemory(text)).toEqual({ ok: true, value: bytes });
  });

  it.each([
    ['512MB', '512Mi'],
    ['512mb', '512Mi'],
    ['512MiB', '512Mi'],
    ['512m', '512Mi'],
    ['1g', '1Gi'],
    ['1 GB', '1Gi'],
    ['1.5GB', '1.5Gi'],
    ['64 Mi', '64Mi'],
    ['8192KB', '8192Ki'],
    ['1000', '1000Mi'],
    ['512', '512Mi'],
  ])('refuses %j and means %j', (text, meant) => {
    expect(parseMemory(text)).toMatchObject({ ok: false, suggestion: meant });
  });

  it.each(['1Ki', '5Mi', '4', '2048KB', '5000000', 'plenty', '1e9', '1 KB', '', 'Mi', '-1Gi', '1.5'])('refuses %j without a guess', (text) => {
    const r = parseMemory(text);
    expect(r.ok).toBe(false);
    expect(r.ok || r.suggestion).toBeUndefined();
  });
});
