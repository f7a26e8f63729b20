/** Factors to each dimension's base unit (g, m, currency units): a small, fixed table. */
export const UNITS = {
  mg: { dimension: 'mass', factor: 0.001 },
  g: { dimension: 'mass', factor: 1 },
  kg: { dimension: 'mass', factor: 1000 },
  lb: { dimension: 'mass', factor: 453.59237 },
  oz: { dimension: 'mass', factor: 28.349523125 },
  mm: { dimension: 'length', factor: 0.001 },
  cm: { dimension: 'length', factor: 0.01 },
  m: { dimension: 'length', factor: 1 },
  km: { dimension: 'length', factor: 1000 },
  in: { dimension: 'length', factor: 0.0254 },
  ft: { dimension: 'length', factor: 0.3048 },
  cents: { dimension: 'money', factor: 0.01 },
  units: { dimension: 'money', factor: 1 },
} as const;
export type Unit = keyof typeof UNITS;
export const unitNames = Object.keys(UNITS) as [Unit, ...Unit[]];
