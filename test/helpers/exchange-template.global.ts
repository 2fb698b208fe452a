/** Vitest global setup: the embedded exchange database's template, made once before any test file (exchange-db.ts). */
import { ensureTemplate } from './exchange-db.js';

export default async function setup(): Promise<void> {
  await ensureTemplate();
}
