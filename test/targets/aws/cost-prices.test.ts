/**
 * The aws price tables: each names its region (= its file name), date, currency and sources,
 * holds only positive finite prices, has the same shape as every other table, and prices every
 * class sizing.ts can produce. A sweep of requests through the sizing functions checks that they
 * produce only the classes sizing.ts lists.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALLBACK_REGION, PRICE_TABLES, type PriceTable } from '../../../src/targets/aws/cost-prices.js';
import { brokerSize, cacheSize, databaseSize, documentDbSize, SIZED_CLASSES } from '../../../src/targets/aws/sizing.js';
import { process as processOf, store } from '../kubernetes/design-of.js';

const PRICES_DIR = join(import.meta.dirname, '..', '..', '..', 'src', 'targets', 'aws', 'prices');
const tables = Object.entries(PRICE_TABLES);

/** Every leaf of a table as [dotted path, value]. */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [[path, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

describe('price tables', () => {
  it('lists every file under prices/, and the fallback region is one of them', () => {
    const files = readdirSync(PRICES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
    expect(Object.keys(PRICE_TABLES)).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files).toContain(FALLBACK_REGION);
  });

  it.each(tables)('%s names its region, date, currency and sources', (region, table) => {
    expect(table.region).toBe(region);
    expect(table.currency).toMatch(/^[A-Z]{3}$/);
    expect(table.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(table.priceDate))).toBe(false);
    expect(table.source).toMatch(/https:\/\/pricing\.[a-z0-9-]+\.amazonaws\.com\//);
    const sections = Object.entries(table).filter(([, v]) => typeof v === 'object');
    expect(sections.length).toBeGreaterThan(10);
    for (const [name, section] of sections) expect((section as { source?: unknown }).source, name).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it.each(tables)('%s holds only positive finite prices', (_region, table) => {
    const numbers = leaves(table).filter(([, v]) => typeof v === 'number');
    expect(numbers.length).toBeGreaterThan(30);
    for (const [path, v] of numbers) expect(Number.isFinite(v) && (v as number) > 0, path).toBe(true);
    // A Multi-AZ deployment costs more than single-AZ, never less.
    expect(table.rds.multiAzFactor).toBeGreaterThanOrEqual(1);
  });

  it('every table has the same prices as the first (the same keys, only the values differ)', () => {
    const shape = (t: PriceTable): string[] => leaves(t).filter(([, v]) => typeof v === 'number').map(([p]) => p).sort();
    const [first, ...rest] = tables;
    for (const [region, table] of rest) expect(shape(table), region).toEqual(shape(first![1]));
  });
});

describe('every class sizing.ts can produce has a price in every region', () => {
  it.each(tables)('%s', (_region, table) => {
    for (const c of SIZED_CLASSES.rds) {
      expect(table.rds.instanceHour.postgres[c], `postgres ${c}`).toBeGreaterThan(0);
      expect(table.rds.instanceHour.mysql[c], `mysql ${c}`).toBeGreaterThan(0);
    }
    for (const c of SIZED_CLASSES.cache) expect(table.elasticache.nodeHour[c], c).toBeGreaterThan(0);
    for (const c of SIZED_CLASSES.documentDb) expect(table.documentdb.instanceHour[c], c).toBeGreaterThan(0);
    for (const c of SIZED_CLASSES.broker) expect(table.mq.brokerHour[c], c).toBeGreaterThan(0);
  });

  it('the sizing functions produce only listed classes, and every listed class is reachable', () => {
    const cpus = ['100m', '250m', '500m', '1', '1500m', '2', '3', '4', '6', '8', '12', '16', '32', '64'];
    const memories = ['128Mi', '512Mi', '1Gi', '1500Mi', '2Gi', '3Gi', '4Gi', '6Gi', '8Gi', '12Gi', '16Gi', '24Gi', '32Gi', '48Gi', '64Gi', '128Gi', '512Gi'];
    const seen = { rds: new Set<string>(), cache: new Set<string>(), documentDb: new Set<string>(), broker: new Set<string>() };
    for (const availability of ['standard', 'high'] as const) {
      for (const resources of [undefined, ...cpus.flatMap((cpu) => memories.map((memory) => ({ cpu, memory })))]) {
        const s = store('db', 'postgres', { process: processOf('db', resources ? { resources } : {}), availability });
        seen.rds.add(databaseSize(s).instanceClass);
        seen.cache.add(cacheSize(s).nodeType);
        seen.documentDb.add(documentDbSize(s).instanceClass);
        seen.broker.add(brokerSize(s).instanceType);
      }
    }
    for (const key of ['rds', 'cache', 'documentDb', 'broker'] as const) expect([...seen[key]].sort(), key).toEqual([...SIZED_CLASSES[key]].sort());
  });
});
